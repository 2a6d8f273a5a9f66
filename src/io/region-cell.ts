// The `region` cell of a network-wide row in every tidy output (epochs.csv, trajectory.csv,
// trajectories.csv, differences.csv). Inside the program a network-wide series has region ''.
//
// Written as the literal `network`, not as an empty cell: pandas reads an empty cell as NaN (and
// `groupby` then drops those rows), R reads it as "" in one column and NA in another, and a SQL
// primary key or a Table Schema primary key may not hold a null. `network` is none of the
// missing-value spellings of pandas ("", "NA", "N/A", "NULL", "nan", "None", ...) or R ("NA"), so
// every reader loads it as a plain string, and it cannot be a region id (crossCheck reserves it).

/** The `region` cell of network-wide rows. */
export const NETWORK_REGION = 'network';

/** The cell for a series' region ('' inside the program for a network-wide series). */
export function regionCell(region: string): string {
  return region === '' ? NETWORK_REGION : region;
}

/** The series' region of a cell read back from an output. */
export function regionOfCell(cell: string): string {
  return cell === NETWORK_REGION ? '' : cell;
}
