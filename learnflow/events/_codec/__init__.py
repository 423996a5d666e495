"""The one CloudEvents codec: contract events and pass-through events to and from the wire.

- ``cloudevent``: the neutral value every binding converts (``CloudEventMessage``), and
  ``to_cloudevent`` for a contract event;
- ``kafka``: ``KafkaRecord``, ``to_binary``/``from_binary``, ``to_structured``/``from_structured``,
  and ``to_record``/``from_record`` for contract events;
- ``http``: ``to_binary_http``/``from_http``, and the decoders a function uses
  (``event_from_request``, ``event_from_cloudevent``).

The names follow the cloudevents SDK's bindings; where the SDK itself is not used, the
function says why.
"""
