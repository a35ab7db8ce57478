"""Multi-version builds: plan the versions of a tree, build each, write the deployable root."""
