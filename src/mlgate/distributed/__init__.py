"""The Dask engine: a batch's partitions counted or scored on a cluster."""
