"""The base every stage stands on: errors, settings, source configuration, the record model
and raw-record types. Imports nothing else of csfinder."""
