//! A period in shards: the sample shop's November cut by role, evaluated
//! apart and merged, and the cuts and merges that are refused.

use perfpay::shard;

#[test]
fn the_sample_month_cut_by_role_merges_to_the_whole_month() {
    let (plan, whole) = crate::sample_november();
    let (period, inputs) = crate::sample_november_inputs();
    let sharding = shard::cut(&plan, &period, &inputs, |e| e.role.to_string()).unwrap();
    let sizes: Vec<(&str, usize)> = sharding
        .shards
        .iter()
        .map(|s| (s.key.as_str(), s.inputs.len()))
        .collect();
    assert_eq!(sizes, [("customer_service", 3), ("operations", 6), ("sales", 4)]);
    let parts: Vec<_> = sharding
        .shards
        .iter()
        .map(|s| s.evaluate(&plan).unwrap())
        .collect();
    // the operations shard alone ranks operations only, and measures no goal
    assert_eq!(
        parts[1]
            .team
            .rankings
            .keys()
            .map(|r| r.as_str())
            .collect::<Vec<_>>(),
        ["operations"]
    );
    assert!(parts[1].team.goals.is_empty());
    let merged = sharding.merge(parts.clone()).unwrap();
    assert_eq!(merged.to_json().unwrap(), whole.to_json().unwrap());
    // the shop's goal, rolled up over the sales shard's owners: (165,000 +
    // 98,000 + 240,000 + 60,000 − 450,000) / (594,000 − 450,000) = 113,000
    // / 144,000
    let gmv = &merged.team.goals[&perfpay::id::GoalId::new("shop-gmv").unwrap()];
    assert_eq!(gmv.current, Some(perfpay::Decimal::from(563_000)));
    assert_eq!(
        gmv.achievement.round_dp(6),
        (perfpay::Decimal::from(113_000) / perfpay::Decimal::from(144_000)).round_dp(6)
    );

    // refused: a shard missing, a shard twice, another plan's shard
    let err = sharding.merge(parts[..2].to_vec()).unwrap_err();
    assert!(
        err.to_string().contains("the shard outcomes lack sales-chen"),
        "{err}"
    );
    let mut twice = parts.clone();
    twice.push(parts[0].clone());
    let err = sharding.merge(twice).unwrap_err();
    assert!(
        err.to_string()
            .contains("role customer_service is ranked in two shard outcomes"),
        "{err}"
    );
    let mut v2 = perfpay::Plan::from_toml(include_str!("../examples/shop.toml")).unwrap();
    v2.version = 2;
    let v2 = v2.compile().unwrap();
    let err = sharding.shards[0].evaluate(&v2).unwrap_err();
    assert_eq!(
        err.to_string(),
        "shard customer_service was cut under another plan than sample-shop v2"
    );
    let other = perfpay::evaluate_period(&v2, &period, &inputs).unwrap();
    let err = sharding.merge([other]).unwrap_err();
    assert!(err.to_string().contains("does not belong to this cut"), "{err}");
}

#[test]
fn a_cut_that_splits_a_role_is_refused_naming_the_role() {
    let (plan, _) = crate::sample_november();
    let (period, inputs) = crate::sample_november_inputs();
    // by the first letter of the employee's surname: operations' li and
    // qin land in different shards
    let err = shard::cut(&plan, &period, &inputs, |e| {
        e.employee
            .as_str()
            .rsplit('-')
            .next()
            .unwrap_or("")
            .chars()
            .take(1)
            .collect()
    })
    .unwrap_err();
    assert_eq!(err.kind(), perfpay::ErrorKind::InvalidInput);
    assert!(err.to_string().starts_with("role "), "{err}");
    assert!(err.to_string().contains("is split between shards"), "{err}");
}

/// A deal shared by a closer and an account manager, whose two feeds
/// disagree on its amount: cut by role, each seller is in a shard of their
/// own, and the deal is still compared across both — each seller has the
/// error the whole period gives, and the merged outcome is the whole one.
#[test]
fn a_deal_shared_across_shards_is_checked_across_them() {
    use perfpay::Decimal;
    use perfpay::id::{EmployeeId, RoleId, TransactionId};
    use perfpay::tier::{Share, Transaction};

    let plan = perfpay::Plan::from_toml(include_str!("../examples/rules/transactions/plan.toml"))
        .unwrap()
        .compile()
        .unwrap();
    let period = perfpay::Period::month(2026, 11).unwrap();
    let seller = |id: &str, role: &str, amount: i64| {
        let mut deal = Transaction::deal(
            TransactionId::new("S-1").unwrap(),
            perfpay::NaiveDate::from_ymd_opt(2026, 11, 12).unwrap(),
            Decimal::from(amount),
        );
        deal.split = vec![
            Share {
                employee: EmployeeId::new("closer-zheng").unwrap(),
                share: Decimal::new(6, 1),
            },
            Share {
                employee: EmployeeId::new("am-feng").unwrap(),
                share: Decimal::new(4, 1),
            },
        ];
        perfpay::EmployeeInputs::new(
            EmployeeId::new(id).unwrap(),
            RoleId::new(role).unwrap(),
            perfpay::Timeline::constant(
                perfpay::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
                Decimal::ZERO,
            ),
        )
        .with_ytd(perfpay::PayrollYtd::new(2026))
        .with_transactions(vec![deal])
    };
    // zheng's feed says 50,000, feng's 60,000
    let inputs = [
        seller("closer-zheng", "closer", 50_000),
        seller("am-feng", "account_manager", 60_000),
    ];
    let whole = perfpay::evaluate_period(&plan, &period, &inputs).unwrap();
    let sharding = shard::cut(&plan, &period, &inputs, |e| e.role.to_string()).unwrap();
    assert_eq!(sharding.shards.len(), 2);
    // each shard through JSON, as a worker would get it
    let parts: Vec<_> = sharding
        .shards
        .iter()
        .map(|s| {
            let sent: shard::Shard = serde_json::from_str(&serde_json::to_string(s).unwrap()).unwrap();
            sent.evaluate(&plan).unwrap()
        })
        .collect();
    for part in &parts {
        let only = &part.employees[0];
        assert!(only.payslip.is_none(), "{}", only.employee);
        assert!(
            only.errors[0]
                .to_string()
                .contains("transaction S-1 is not the same in the inputs of am-feng and closer-zheng: amount 60000 and 50000"),
            "{}",
            only.errors[0]
        );
    }
    let merged = sharding.merge(parts).unwrap();
    assert_eq!(merged.to_json().unwrap(), whole.to_json().unwrap());
}
