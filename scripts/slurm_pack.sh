#!/bin/bash
# Many short runs on Slurm without flooding the scheduler (docs/cluster.md): one array task per
# slice of seeds; each task runs its slice on all the cores Slurm gave it (joblib), in batch mode
# (one Parquet file per RUNS_PER_FILE runs, default 250), into SWEEP_DIR/slice-TASK.
#
#   sbatch --array=0-39 --cpus-per-task=32 --mem=16G --time=02:00:00 --partition=YOUR_PARTITION \
#       scripts/slurm_pack.sh SWEEP_DIR SEEDS_PER_TASK [upconv overrides ...]
#   e.g. 40 tasks x 250 seeds = 10,000 runs:  ... scripts/slurm_pack.sh /scratch/$USER/uc 250 scenario=teaching years=30
#   then: .venv/bin/upconv-collect SWEEP_DIR
#
# Task i runs seeds i*K .. (i+1)*K-1 (K = SEEDS_PER_TASK) with the given overrides; other swept keys
# (strategy=a,b) multiply inside each task. Submitting the same array again resumes: finished runs
# are skipped by their config hash. Run it from the repository (sbatch's working folder);
# UPCONV=/path/to/upconv picks another installation than .venv/bin/upconv.
#SBATCH --job-name=upconv-pack
#SBATCH --output=upconv-pack-%A_%a.out
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: sbatch --array=0-N scripts/slurm_pack.sh SWEEP_DIR SEEDS_PER_TASK [upconv overrides ...]" >&2
  exit 2
fi
sweep=$1; per_task=$2; shift 2
case $per_task in ''|*[!0-9]*) echo "SEEDS_PER_TASK must be a whole number; got '$per_task'" >&2; exit 2;; esac
task=${SLURM_ARRAY_TASK_ID:-0}
start=$((task * per_task)); stop=$((start + per_task))
export OMP_NUM_THREADS=1
exec "${UPCONV:-.venv/bin/upconv}" -m --runs-per-file "${RUNS_PER_FILE:-250}" "$@" "seed=range($start,$stop)" \
  hydra/launcher=joblib "hydra.launcher.n_jobs=${SLURM_CPUS_PER_TASK:-1}" "hydra.sweep.dir=$sweep/slice-$task"
