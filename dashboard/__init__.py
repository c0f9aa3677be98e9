"""Oblast Events Map: events of 2022 in five Ukrainian oblasts on an offline map."""
