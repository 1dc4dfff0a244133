"""The exercise sheets: one per participant, numbers drawn from a seed, answers exact (SymPy) and checked (NumPy).

Sheets depend on the seed and the number of participants, so they are computed when the
handouts are built (:func:`nnmath.topics.exercises.sheets.present`), not cached like the
other topics' records.
"""
