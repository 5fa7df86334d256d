-- an array where the gate needs a number
select array[0.1, 0.2] as value
