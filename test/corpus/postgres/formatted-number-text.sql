-- a number formatted for people, with a thousands separator and a unit
select '1,250 ms'::text as p95_ms
