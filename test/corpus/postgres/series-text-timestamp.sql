-- a windowed gate whose time column is not a time
select 'last tuesday'::text as ts, 0.001 as value
