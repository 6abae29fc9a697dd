"""The casebook command (room cli): parameters, runs, validation.

May import: every room (it is the top), and the executor.
"""
