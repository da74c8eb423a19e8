# Reference fixture for test_rtm_elasticnet: R glmnet (family "poisson") on a small RTM-like design.
# Run once from this folder:  Rscript make_glmnet_fixture.R   (Debian: r-base-core, r-cran-glmnet)
# Writes glmnet_data.csv (x1..x12, y, foldid), glmnet_path.csv (lambda, a0, b1..b12),
# glmnet_cv.csv (lambda, cvm, cvsd) and glmnet_default.csv (glmnet's own lambda sequence + coefs).
suppressMessages(library(glmnet))
set.seed(20240601)
n <- 600
d1 <- rexp(n, 1); d2 <- rexp(n, 0.7)
x <- cbind(
  x1 = as.numeric(d1 <= 0.5), x2 = as.numeric(d1 <= 1.0), x3 = as.numeric(d1 <= 1.5),   # nested proximity bands
  x4 = as.numeric(d2 <= 0.5), x5 = as.numeric(d2 <= 1.0), x6 = as.numeric(d2 <= 1.5),
  x7 = rbinom(n, 1, 0.08),  # rare flag (sparse)
  x8 = rbinom(n, 1, 0.75),  # common flag (stored as its zeros)
  x9 = rbinom(n, 1, 0.3),   # null
  x10 = rbinom(n, 1, 0.5),  # null
  x11 = rnorm(n),           # continuous (dense)
  x12 = runif(n, 0, 3))     # continuous, not centred
eta <- -0.9 + 0.8 * x[, "x1"] + 0.35 * x[, "x3"] + 0.5 * x[, "x5"] - 0.4 * x[, "x8"] + 0.6 * x[, "x7"] + 0.25 * x[, "x11"]
y <- rpois(n, exp(eta))
foldid <- sample(rep(seq(10), length = n))

fmt <- function(df) { for (k in names(df)) df[[k]] <- sprintf("%.17g", df[[k]]); df }
write.csv(fmt(data.frame(x, y = y, foldid = foldid)), "glmnet_data.csv", row.names = FALSE, quote = FALSE)

glmnet.control(fdev = 0)                     # full path, no early stop
lam <- exp(seq(log(0.5), log(5e-4), length.out = 40))
fit <- glmnet(x, y, family = "poisson", alpha = 0.5, lambda = lam, standardize = TRUE, thresh = 1e-14, maxit = 1e7)
b <- as.matrix(coef(fit))
write.csv(fmt(data.frame(lambda = fit$lambda, a0 = b[1, ], t(b[-1, ]))), "glmnet_path.csv", row.names = FALSE, quote = FALSE)

cv <- cv.glmnet(x, y, family = "poisson", alpha = 0.5, lambda = lam, foldid = foldid, standardize = TRUE,
                thresh = 1e-14, maxit = 1e7, type.measure = "deviance")
write.csv(fmt(data.frame(lambda = cv$lambda, cvm = cv$cvm, cvsd = cv$cvsd)), "glmnet_cv.csv", row.names = FALSE, quote = FALSE)
cat("lambda.min", cv$lambda.min, "\n")

fit2 <- glmnet(x, y, family = "poisson", alpha = 0.5, standardize = TRUE, thresh = 1e-14, maxit = 1e7)
b2 <- as.matrix(coef(fit2))
write.csv(fmt(data.frame(lambda = fit2$lambda, a0 = b2[1, ], t(b2[-1, ]))), "glmnet_default.csv", row.names = FALSE, quote = FALSE)
glmnet.control(factory = TRUE)
