# Loads every table of a run folder with base R's read.csv, as a user would; prints one line per
# table and check, "table<TAB>check<TAB>value" (test/io/interop.test.ts). The table list and types
# come from datapackage.json, written out by the test as a plain TSV beside it (base R has no JSON).
args <- commandArgs(trailingOnly = TRUE)
folder <- args[1]
emit <- function(table, check, value) cat(paste(table, check, value, sep = "\t"), "\n", sep = "")
spec <- read.delim(args[2], stringsAsFactors = FALSE, colClasses = "character")
for (table in unique(spec$table)) {
  fields <- spec[spec$table == table, ]
  df <- read.csv(file.path(folder, paste0(table, ".csv")), stringsAsFactors = FALSE)
  emit(table, "rows", nrow(df))
  key <- fields$name[fields$key == "1"]
  if (length(key) > 0) {
    emit(table, "nullsInKey", sum(is.na(df[key]) | df[key] == ""))
    emit(table, "duplicateKeys", sum(duplicated(df[key])))
  }
  if (all(c("metric", "region") %in% names(df))) {
    by <- intersect(c("point", "metric", "region"), names(df))
    emit(table, "series", nrow(unique(df[by])))
  }
  for (i in seq_len(nrow(fields))) {
    name <- fields$name[i]
    x <- df[[make.names(name)]]
    ok <- switch(fields$type[i],
      integer = is.integer(x),
      number = is.numeric(x),
      string = is.character(x) && !any(is.na(x)),
      date = !any(is.na(as.Date(x, format = "%Y-%m-%d"))),
      FALSE)
    emit(table, paste0("type:", name), if (ok) "ok" else paste("bad", class(x)))
    # the cells of a few rows (first, middle, last; 0-based as in the test) as R read them
    for (i in unique(c(0, nrow(df) %/% 2, nrow(df) - 1))) {
      if (i >= 0 && i < nrow(df)) emit(table, paste0("value:", i, ":", name), format(x[i + 1], digits = 17))
    }
  }
}
