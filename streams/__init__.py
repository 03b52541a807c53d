"""Kafka-facing plumbing: the Faust app factory, topic names and wire records."""
