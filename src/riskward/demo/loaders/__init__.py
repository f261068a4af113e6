"""One loader per area of the demo program; `demo.services.load_demo` runs them in order."""
