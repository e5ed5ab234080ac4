"""Shared, tested code for the RNN course: set-up, data, reference RNNs, checks and plots.

The notebooks build everything in plain NumPy first; the versions here are the tested copies
that later notebooks import. Each module is short enough to read in a minute:

    setup.py      setup_notebook(): quiet, seeded, deterministic, portable TensorFlow
    data.py       loaders for the shipped datasets (checksummed)
    synthetic.py  seeded generators: adding problem, copy task, addition strings, ListOps
    rnn.py        simple RNN forward and backward (Keras SimpleRNN weight layout)
    lstm.py       LSTM forward and backward (Keras LSTM layout, gates i, f, c, o)
    gru.py        GRU forward and backward, both reset_after variants (gates z, r, h)
    bidirectional.py  bidirectional_forward(): a forward and a time-reversed RNN, merged
    decoding.py   beam search and greedy decoding over a step(state, token) function
    seq2seq.py    character encoder-decoders, additive attention, the shipped weights
    deep.py       deep RNNs (07): the deep-transition and layer-norm cells, the race's models
    charlm.py     character language models: training windows, the model, the stream loss
    nbsvm.py      NBSVM (12): binary n-gram features, log-count ratios, a linear classifier
    shapes.py     the input checks behind their clear ValueErrors
    gradcheck.py  the numerical gradient checker
    plots.py      the course plot style and label()
    diagrams.py   cell, array, deep-RNN and encoder-decoder diagrams drawn in code
    tree_diagrams.py  draw_listops_tree(): the tree of a ListOps expression, drawn in code
    exercises/    the exercise checkers: nbNN.py notebook NN's, checking.py what they share
"""
from course_utils.setup import pin_environment

pin_environment()  # before NumPy loads: OpenBLAS reads its settings at import

from course_utils.bidirectional import bidirectional_forward
from course_utils.data import (load_movie_reviews, load_seattle_weather, load_shakespeare,
                               load_sunspots, load_translation_pairs, movie_review_splits,
                               seattle_weather_splits, shakespeare_splits, sunspots_splits,
                               translation_splits, verified_path)
from course_utils.decoding import beam_search, greedy_decode
from course_utils.diagrams import (draw_batch_array, draw_deep_rnns, draw_encoder_decoder,
                                   draw_gru_cells, draw_gru_cell, draw_sliding_windows,
                                   draw_unrolled_rnn)
from course_utils.gradcheck import bound, check_gradients, numerical_gradient, relative_error
from course_utils.gru import gru_backward, gru_forward, gru_param_count, gru_step
from course_utils.lstm import lstm_backward, lstm_forward, lstm_param_count, lstm_step
from course_utils.plots import label, use_course_style
from course_utils.rnn import rnn_backward, rnn_forward, rnn_param_count, rnn_step
from course_utils.setup import course_seed, setup_notebook
from course_utils.synthetic import (ADDING_LENGTH, LISTOPS_APPLY, LISTOPS_OPS, adding_problem,
                                    addition_strings, copy_task, evaluate_listops, listops_depth,
                                    listops_expressions, parse_listops)
from course_utils.tree_diagrams import draw_listops_tree

__version__ = "0.1.0"
