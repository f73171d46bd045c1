"""Geography: the city's outline and the areas a point falls in."""
