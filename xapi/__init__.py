"""xAPI for semh-lti: vocabulary, statement builders, the outbox and delivery to an LRS.

Modules: :mod:`xapi.vocabulary` (every IRI), :mod:`xapi.inputs` (plain builder inputs),
:mod:`xapi.statements` (builders), :mod:`xapi.models` (strict statement models and bytes),
:mod:`xapi.outbox` (table, enqueue, worker), :mod:`xapi.client` (transport),
:mod:`xapi.query` (reading back), :mod:`xapi.settings`, :mod:`xapi.cli`.
This package imports nothing from Flask or the app.
"""
