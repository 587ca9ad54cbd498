# A vendor's German locale, partly translated: what it lacks is written in
# English (tests/locale.rs).
number-group-separator = .
number-decimal-separator = {","}
unit-rate = { $value } %
net-pay = Nettolohn
score = Leistungspunkte
grade-coefficient = Stufenfaktor
performance-bonus = Leistungsbonus
times-grade = {" "}× Stufe{" "}
coefficient = {" "}Faktor{" "}
payslip = Lohnabrechnung
awards = Prämien
rank = Rang
# a selector: formatted by Fluent itself, not read into pieces
achievement-of = { $goal ->
    [gmv] Umsatzziel erreicht
   *[other] Zielerreichung { $goal }
}
