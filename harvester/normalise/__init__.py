"""Normalising: raw records, through crosswalks (data), into the common record model."""
