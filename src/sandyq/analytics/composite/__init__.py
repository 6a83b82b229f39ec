"""Composite indices: construction, audit and uncertainty/sensitivity analysis.

A COINr-class engine.  An index is specified in YAML (data, structure, ordered
steps with their parameters) or as the equivalent immutable :class:`IndexSpec`;
:class:`CompositeIndex` binds it to its data and :meth:`CompositeIndex.build`
runs denomination, screening, imputation, outlier treatment, normalisation,
weighting and aggregation with COINr's defaults (weights renormalised within a group, or used as given
with ``renormalise: false``); :func:`compare_published` sets a rebuild beside the published index.
:func:`audit` checks the statistical coherence; :func:`run_uncertainty` and :func:`run_sensitivity` run
vectorised Monte Carlo uncertainty and Sobol' sensitivity analyses.

A specification may read its data from the sandyq store (``data: {store: ...}``):
it is then bound to the store it is given, ``CompositeIndex.from_yaml(path, monitor)``
or :func:`open_index`.  :func:`publish_default_indices` computes the bundled
indices and loads them into the store (a stage of ``sandyq init``, and
:meth:`sandyq.Monitor.publish`).

The ASEM example of COINr is bundled in ``examples/coinr-asem/`` and reproduces
COINr's published results.
"""

from __future__ import annotations

from ._aggregate import aggregate_level, copeland
from ._arrays import rank_ascending, rank_descending
from ._audit import (
    AuditReport,
    audit,
    collinear_pairs,
    cronbach,
    drop_one,
    group_coherence,
    parent_correlations,
)
from ._commands import audit_command, build_command, uncertainty_command
from ._digital import (
    CAVEAT,
    ITU_PEERS,
    RankTracking,
    bundled_indices,
    digital_index,
    itu_idi_2023,
    open_index,
    rank_status,
    resolve_spec,
    track_rank_target,
)
from ._impute import impute_columns, impute_groups, impute_panel
from ._index import CompositeIndex
from ._normalise import (
    borda,
    dist2max,
    dist2ref,
    dist2targ,
    fracmax,
    goalposts,
    minmax,
    normalise,
    prank,
    rank,
    scaled,
    zscore,
)
from ._panel import PanelResult, build_panel
from ._publish import publish_default_indices
from ._published import compare_published
from ._rankhistogram import RankHistogram
from ._results import IndexResult
from ._sensitivity import SensitivityResult, run_sensitivity
from ._spec import (
    DataSpec,
    FactorSpec,
    IndexSpec,
    NodeSpec,
    PublishedSpec,
    StructureSpec,
    UncertaintySpec,
    read_spec,
    spec_from_dict,
)
from ._stats import column_kurtosis, column_skewness, cronbach_alpha, describe, kurtosis, skewness
from ._stepspec import (
    AggregateStep,
    DenominateStep,
    ImputeStep,
    NormaliseStep,
    ScreenStep,
    TreatStep,
    WeightStep,
)
from ._store_data import StoreInputs, read_store_data
from ._storespec import StoreDataSpec, StoreIndicatorSpec
from ._structure import Node, Structure
from ._treat import TreatRecord, log_ct, treat_column, winsorise
from ._uncertainty import UncertaintyResult, run_uncertainty
from ._weights import first_component_loadings, pca_weights

__all__ = [
    "CAVEAT",
    "ITU_PEERS",
    "AggregateStep",
    "AuditReport",
    "CompositeIndex",
    "DataSpec",
    "DenominateStep",
    "FactorSpec",
    "ImputeStep",
    "IndexResult",
    "IndexSpec",
    "Node",
    "NodeSpec",
    "PublishedSpec",
    "NormaliseStep",
    "PanelResult",
    "RankHistogram",
    "RankTracking",
    "ScreenStep",
    "SensitivityResult",
    "StoreDataSpec",
    "StoreIndicatorSpec",
    "StoreInputs",
    "Structure",
    "StructureSpec",
    "TreatRecord",
    "TreatStep",
    "UncertaintyResult",
    "UncertaintySpec",
    "WeightStep",
    "aggregate_level",
    "compare_published",
    "audit",
    "audit_command",
    "borda",
    "build_command",
    "build_panel",
    "bundled_indices",
    "collinear_pairs",
    "column_kurtosis",
    "column_skewness",
    "copeland",
    "cronbach",
    "cronbach_alpha",
    "describe",
    "digital_index",
    "dist2max",
    "dist2ref",
    "dist2targ",
    "drop_one",
    "first_component_loadings",
    "fracmax",
    "goalposts",
    "group_coherence",
    "impute_columns",
    "impute_groups",
    "impute_panel",
    "itu_idi_2023",
    "kurtosis",
    "log_ct",
    "minmax",
    "normalise",
    "open_index",
    "parent_correlations",
    "pca_weights",
    "prank",
    "publish_default_indices",
    "rank",
    "rank_ascending",
    "rank_descending",
    "rank_status",
    "read_spec",
    "read_store_data",
    "resolve_spec",
    "run_sensitivity",
    "run_uncertainty",
    "scaled",
    "skewness",
    "spec_from_dict",
    "track_rank_target",
    "treat_column",
    "uncertainty_command",
    "winsorise",
    "zscore",
]
