-- the string NaN cast to numeric is a number for Postgres, not for a gate
select 'NaN'::numeric as value
