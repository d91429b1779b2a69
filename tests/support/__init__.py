"""What tests (and bench/) share: the one harness that starts real processes."""
