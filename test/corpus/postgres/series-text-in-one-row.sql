-- a windowed gate whose value column is text in one row
select ts, case when i = 5 then 'n/a' else '0.001' end as value
from generate_series(0, 9) as i, lateral (select now() - make_interval(mins => i) as ts) t
order by ts
