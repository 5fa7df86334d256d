-- json where the gate needs a number
select '{"ratio": 0.86}'::json as value
