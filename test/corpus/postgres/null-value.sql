-- NULL: the metric was never computed
select null::numeric as value
