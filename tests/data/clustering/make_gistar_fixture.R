#!/usr/bin/env Rscript
# Generates the Getis-Ord Gi* reference fixture once (Debian r-cran-spdep).
# Points on a 4000 x 3000 study area with two planted hot spots, counted on a 40 x 30 grid of
# 100-unit cells (origin 0,0; cell index = row * 40 + column). Gi* with binary weights, the cell
# itself included, for two distance bands between cell centres:
#   z_queen   : dnearneigh(0, 150)  (the queen neighbourhood, what StatDesk's default cell*sqrt(2) gives)
#   z_band250 : dnearneigh(0, 250)
# Writes gistar_points.csv (x, y) and gistar_reference.csv (cell, count, z_queen, z_band250).
suppressPackageStartupMessages(library(spdep))
set.seed(42)
cell <- 100; nc <- 40; nr <- 30
x <- c(runif(1500, 0, 4000), rnorm(300, 1000, 150), rnorm(200, 3000, 100))
y <- c(runif(1500, 0, 3000), rnorm(300, 2000, 150), rnorm(200, 700, 100))
x <- round(x, 2); y <- round(y, 2)
keep <- x >= 0 & x < 4000 & y >= 0 & y < 3000
x <- x[keep]; y <- y[keep]
col <- floor(x / cell); row <- floor(y / cell)
counts <- tabulate(row * nc + col + 1, nbins = nc * nr)
idx <- 0:(nc * nr - 1)
coords <- cbind((idx %% nc + 0.5) * cell, (idx %/% nc + 0.5) * cell)
gistar <- function(band) {
  lw <- nb2listw(include.self(dnearneigh(coords, 0, band)), style = "B")
  as.numeric(localG(counts, lw))
}
zq <- gistar(1.5 * cell)
z2 <- gistar(2.5 * cell)
write.csv(data.frame(x = sprintf("%.2f", x), y = sprintf("%.2f", y)), "gistar_points.csv", row.names = FALSE, quote = FALSE)
write.csv(data.frame(cell = idx, count = counts, z_queen = sprintf("%.17g", zq), z_band250 = sprintf("%.17g", z2)),
          "gistar_reference.csv", row.names = FALSE, quote = FALSE)
cat(sprintf("%d points, %d cells, spdep %s, max z %.3f\n", length(x), length(counts), packageVersion("spdep"), max(zq)))
