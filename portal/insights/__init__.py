"""Insights: a search's selection as figures to look at, download and cite."""
