"""Wire codecs: Kafka records and HTTP CloudEvents to and from contract models."""
