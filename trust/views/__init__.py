"""What the pages and the command line show: view-models, charts, exports and the command line's outputs."""
