-- no rows at all
select 0.001 as value where false
