"""The ``csv`` protocol: inventories published as spreadsheets, one row a record."""
