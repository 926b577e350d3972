"""Bad-input corpus (`cases.py`) and the helpers the robustness tests share (`harness.py`)."""
