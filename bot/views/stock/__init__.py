"""/stock: a product's stock per warehouse, its price and next price change."""
