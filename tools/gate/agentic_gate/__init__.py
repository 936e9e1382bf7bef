"""The codegen quality gate: every catalogue combination rendered and put through the real tools.

``python -m agentic_gate --matrix`` prints combination x check → pass/fail; the test suite runs the
same checks (``tests/integration/codegen/test_codegen_gate*.py``).
"""
