"""The generation eval: asks in the style of public generation benchmarks, scored by checks and validation."""
