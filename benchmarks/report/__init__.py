"""The results file rendered: markdown tables, SVG charts, and the docs' performance page."""
