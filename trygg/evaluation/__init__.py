"""Effect evaluation (did the cameras help?) and the yearly review per camera (issue 14)."""
