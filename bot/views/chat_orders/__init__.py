"""What the order dialog and a chat order's view show: callback data, states, keyboards,
texts."""
