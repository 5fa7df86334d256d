-- a text column where the gate needs a number
select 'high'::text as value
