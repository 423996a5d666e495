"""The local runtime: KafkaSource and KafkaSink semantics on a laptop, read from eventing/."""
