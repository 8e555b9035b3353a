"""The JSON API described: its parameters and answers as typed models, and the OpenAPI 3.1
document derived from them and from the app's routes (served at ``/api/v1/openapi.json``).

- :mod:`portal.openapi.parameters`: query and path parameters;
- :mod:`portal.openapi.arguments`: a query string read into its parameter model;
- :mod:`portal.openapi.answers`: answer bodies and headers;
- :mod:`portal.openapi.record`: the record schema (``mappings/record.schema.json``);
- :mod:`portal.openapi.contract`: an operation's contract, attached to its view;
- :mod:`portal.openapi.operations`: the operations, tags and error answers of the API;
- :mod:`portal.openapi.plugin`: pydantic models in apispec (schemas, parameters, headers);
- :mod:`portal.openapi.document`: the document, assembled by apispec.
"""
