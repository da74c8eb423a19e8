#!/usr/bin/env python3
"""Generates a KCPD crime CSV in the 2025 export layout (24 columns, WKT Location, true/false
flags, one row per person involved) for the import benchmark. Deterministic for a seed."""
import argparse
import random

HEADER = ("Report_No,Reported_Date,Reported_Time,From_Date,From_Time,To_Date,To_Time,Offense,IBRS,"
          "Description,Beat,Address,City,Zip Code,Rep_Dist,Area,DVFlag,Invl_No,Involvement,Race,Sex,"
          "Age,Firearm Used Flag,Location\n")
OFFENSES = [("Aggravated Assault", "13A", "Aggravated Assault", 0.10), ("Robbery", "120", "Robbery", 0.05),
            ("Homicide", "09A", "Murder & Nonnegligent Manslaughter", 0.003), ("Rape", "11A", "Rape", 0.01),
            ("Simple Assault", "13B", "Simple Assault", 0.14), ("Burglary", "220", "Burglary/Breaking & Entering", 0.08),
            ("Stealing from Auto", "23F", "Theft From Motor Vehicle", 0.12), ("Stealing All Other", "23H", "All Other Larceny", 0.15),
            ("Auto Theft", "240", "Motor Vehicle Theft", 0.10), ("Property Damage", "290", "Destruction/Damage/Vandalism of Property", 0.13),
            ("Drug Violation", "35A", "Drug/Narcotic Violations", 0.05), ("Weapon Law Violation", "520", "Weapon Law Violations", 0.057)]
STREETS = ["MILL ST", "LOCUST ST", "PROSPECT AVE", "TROOST AVE", "SWOPE PKWY", "GRAND BLVD", "INDIANA AVE", "BROADWAY BLVD",
           "MAIN ST", "E 12TH ST", "E 31ST ST", "WABASH AVE", "BENTON BLVD", "VAN BRUNT BLVD", "N OAK TRFY", "WORNALL RD"]
AREAS = ["CPD", "EPD", "MPD", "NPD", "SPD", "SCP"]
INVOLVEMENTS = ["VIC", "SUS", "ARR", "CMP VIC", "SUS ARR", "VIC CMP"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1000000)
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    weights = [o[3] for o in OFFENSES]
    rows = 0
    report = 0
    with open(a.out, "w", newline="") as f:
        f.write(HEADER)
        while rows < a.rows:
            report += 1
            rep = "KC25%06d" % report
            month, day = rnd.randint(1, 12), rnd.randint(1, 28)
            rh, rm = rnd.randint(0, 23), rnd.randint(0, 59)
            fh, fm = rnd.randint(0, 23), rnd.randint(0, 59)
            date = "%d/%d/2025" % (month, day)
            located = rnd.random() > 0.125
            lon, lat = rnd.uniform(-94.70, -94.40), rnd.uniform(38.85, 39.30)
            loc = "POINT (%.6f %.6f)" % (lon, lat) if located else ""
            street = "%d  %s" % (rnd.randint(1, 99) * 100, rnd.choice(STREETS))
            beat, area, zipc = str(rnd.randint(111, 699)), rnd.choice(AREAS), str(64100 + rnd.randint(1, 60))
            dv = "true" if rnd.random() < 0.1 else "false"
            for offense in range(1 if rnd.random() < 0.85 else 2):
                name, ibrs, desc, _ = rnd.choices(OFFENSES, weights)[0]
                firearm = "true" if ibrs in ("13A", "120", "09A") and rnd.random() < 0.5 else "false"
                for person in range(1 if rnd.random() < 0.75 else rnd.randint(2, 3)):
                    age = "" if rnd.random() < 0.08 else str(rnd.randint(14, 80))
                    f.write("%s,%s,%d:%02d,%s,%d:%02d,,,%s,%s,%s,%s,%s,KANSAS CITY,%s,PJ%s,%s,%s,%d,%s,%s,%s,%s,%s,%s\n" % (
                        rep, date, rh, rm, date, fh, fm, name, ibrs, desc, beat, street, zipc, beat, area, dv, person + 1,
                        rnd.choice(INVOLVEMENTS), rnd.choice("ABIPUW"), rnd.choice("MFU"), age, firearm, loc))
                    rows += 1
                    if rows >= a.rows:
                        return


if __name__ == "__main__":
    main()
