"""Parameters of place: where schools are (regions, local authorities, distances in km, the
spatial clustering of disadvantage, a cold spot) and what distance does to a partnership
(travel eats released days, nearness deepens, online collaboration reaches anywhere)."""

from __future__ import annotations

from dataclasses import dataclass

from simulation.params.fields import param


@dataclass
class GeographyConfig:
    width_km: float = param(80.0, 1, 2000, "km",
                            "Side of the square area the schools stand in (London about 45 km across, a county about "
                            "80 km, England about 550 km). Sets how dense the scenario is.",
                            "Ordnance Survey extents; a scenario's choice")
    authorities_per_region: int = param(1, 1, 200, "authorities",
                                        "Local authorities in each region (each a contiguous part of its region).",
                                        "England: 150 local authorities in 9 regions; London: 33 boroughs")
    disadvantage_areas: float = param(1.5, 0, 50, "areas/region",
                                      "Areas of concentrated disadvantage per region (inner-city estates, coastal and "
                                      "former industrial towns), each a smooth dip in the local advantage field.",
                                      "Social Mobility Commission 2017 (State of the Nation): disadvantage clusters in "
                                      "coastal, rural and some urban areas; count an assumption")
    disadvantage_area_km: float = param(12.0, 0.1, 500, "km",
                                        "Radius (SD) of an area of concentrated disadvantage.", "assumption")
    region_sd: float = param(0.5, 0, 5, "field SD",
                             "Spread of the regions' mean advantage, relative to the within-region areas (the "
                             "regional element of inequality).",
                             "Social Mobility Commission 2017: regional differences in outcomes; size an assumption")
    spatial_sorting: float = param(0.5, 0, 0.99, "correlation",
                                   "Rank correlation between a school's starting quality (intake context plus "
                                   "recruitment pull) and the advantage of the place it stands in. 0: places are "
                                   "random; the calibrated distributions are kept whatever the value.",
                                   "assumption (schools in deprived areas have weaker intakes and recruit worse)")
    cold_spot: bool = param(False, help="Whether the first region is a cold spot: remote from the others and "
                                        "disadvantaged, so that it has few strong schools.",
                            source="Chhatwal 2020: great practice to reach the so-called 'cold spots'")
    cold_spot_distance_km: float = param(120.0, 0, 2000, "km",
                                         "How far the cold spot lies beyond the edge of the other regions.",
                                         "assumption (the end of 'a poorly-served branch-line', Chhatwal 2020)")
    cold_spot_depth: float = param(1.5, 0, 10, "field SD",
                                   "How much less advantaged the cold spot is than the average region.", "assumption")


@dataclass
class DistanceConfig:
    travel_speed_kmh: float = param(30.0, 1, 200, "km/h",
                                    "Door-to-door speed of staff travelling to a partner school.",
                                    "assumption (DfT journey-time statistics: local road journeys average 25-40 km/h)")
    working_hours: float = param(7.0, 1, 24, "hours/day", "Hours in a staff day given to a partnership.",
                                 "assumption (a school day)")
    near_km: float = param(20.0, 0.1, 1000, "km",
                           "Distance at which a face-to-face partnership deepens at half the rate of next-door "
                           "schools.",
                           "jigsaw note: 'proximity remains vital for successful cluster working'; size an assumption")
    online: bool = param(True, help="Whether partners too far to meet cheaply collaborate online (lower cost, lower "
                                    "depth, any distance).",
                         source="Chhatwal 2020: digital collaboration; Sharing Leading Practice events online")
    online_beyond_km: float = param(50.0, 0, 2000, "km",
                                    "Partners further apart than this collaborate online when online collaboration is "
                                    "on.", "assumption (about 3.3 hours' return travel at 30 km/h)")
    online_day_share: float = param(0.5, 0.01, 1, "share",
                                    "Staff days an online partnership uses, as a share of a face-to-face one's.",
                                    "assumption (sessions without travel or a whole visit day)")
    online_depth: float = param(0.6, 0, 1, "share",
                                "Depth an online partnership can reach and the rate it deepens at, as a share of a "
                                "face-to-face one's.",
                                "Chhatwal 2020: online events open windows onto practice; depth an assumption")
