import gc

from cms import create_app

app = create_app()
# The objects made at start-up (modules, the app, its routes and compiled templates) live as long as the
# process: moved out of the collector's generations, a full collection no longer walks them (~0.1 ms a
# request on list pages, which allocate the most).
gc.freeze()
