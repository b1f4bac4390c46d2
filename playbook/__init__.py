"""playbook: turn a company profile into a tailored social presence playbook."""

__version__ = "0.1.0"
