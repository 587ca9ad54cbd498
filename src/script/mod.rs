//! Sandboxed rhai rules: the vendor-editable layer.
//!
//! One constructor, [`ScriptEngine::builder`], builds the rhai engine with
//! safe limits ([`Sandbox`]); rules are compiled once into [`Script`]s and
//! evaluated many times. Scripts compute in `Decimal` (`0.03` is a decimal,
//! never a float), read a read-only context, and can call domain helpers.
//! A compiled script implements the building blocks' extension points:
//! [`Formula`] and [`Condition`] over a [`CommissionContext`], and
//! [`Formula`] over a [`KpiContext`], and [`Formula`] and [`Condition`]
//! over an [`IncentiveContext`].
//!
//! What a script sees:
//!
//! | context | variables |
//! |---|---|
//! | [`ScriptContext::Commission`] | `amount`, `prior`, and every declared metric by name |
//! | [`ScriptContext::Kpi`] | `value`, and every declared metric by name |
//! | [`ScriptContext::Incentive`] | `score`, `rank` (`()` when absent), and every declared metric by name |
//! | [`ScriptContext::Diagnostics`] | `staff`, `mean_score`, `min_score`, `max_score`, `median_achievement` of one role |
//!
//! Metrics are read by name, so the ids of metrics that scripts read must
//! be identifiers (letters, digits and `_`).
//!
//! Helpers: `tier("table", x)` (a named [`TierTable`]), `clamp(x, lo, hi)`,
//! `min(a, b)`, `max(a, b)`, `round_money(x)` (the engine's rounding
//! policy), `percent(p)` (`p ÷ 100`).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

use rhai::{AST, ASTNode, Dynamic, Engine, EvalAltResult, Expr, ParseError, ParseErrorType, Scope, Stmt};
use rust_decimal::Decimal;

use crate::error::{Error, Limit, Position, Result, ScriptFault};
use crate::explain::{Explanation, Label, Term, Unit};
use crate::extension::{Condition, Formula};
use crate::feedback::RoleStats;
use crate::id::{MetricId, RuleId};
use crate::incentive::IncentiveContext;
use crate::metric::Metrics;
use crate::money::RoundingPolicy;
use crate::score::KpiContext;
use crate::text::Text;
use crate::text::msg;
use crate::tier::{CommissionContext, TierTable};

mod library;
mod native;

/// The limits every script runs under. The defaults are safe for payroll
/// rules (which need a few hundred operations); hosts may tighten or loosen
/// them.
///
/// ```
/// use perfpay::script::Sandbox;
///
/// let tight = Sandbox::default().max_operations(10_000).max_string_size(256);
/// assert_eq!(tight.operations(), 10_000);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sandbox {
    max_operations: u64,
    max_call_levels: usize,
    max_expr_depth: usize,
    max_function_expr_depth: usize,
    max_string_size: usize,
    max_array_size: usize,
    max_map_size: usize,
    max_variables: usize,
    max_functions: usize,
}

impl Default for Sandbox {
    /// 50,000 operations per evaluation, call depth 16, expression depth 64
    /// (32 inside functions), strings of 1,024 bytes, arrays of 64 items,
    /// maps of 256 entries, 256 variables, 32 functions.
    fn default() -> Sandbox {
        Sandbox {
            max_operations: 50_000,
            max_call_levels: 16,
            max_expr_depth: 64,
            max_function_expr_depth: 32,
            max_string_size: 1_024,
            max_array_size: 64,
            max_map_size: 256,
            max_variables: 256,
            max_functions: 32,
        }
    }
}

macro_rules! sandbox_setters {
    ($($(#[$doc:meta])* $set:ident, $get:ident, $field:ident: $ty:ty;)*) => {
        impl Sandbox {
            $(
                $(#[$doc])*
                #[must_use]
                pub fn $set(mut self, value: $ty) -> Sandbox {
                    self.$field = value.max(1);
                    self
                }

                #[doc = concat!("The current `", stringify!($set), "` limit.")]
                pub fn $get(&self) -> $ty {
                    self.$field
                }
            )*
        }
    };
}

sandbox_setters! {
    /// Operations per evaluation (an endless loop stops here).
    max_operations, operations, max_operations: u64;
    /// Depth of nested function calls (runaway recursion stops here).
    max_call_levels, call_levels, max_call_levels: usize;
    /// Nesting depth of an expression at top level.
    max_expr_depth, expr_depth, max_expr_depth: usize;
    /// Nesting depth of an expression inside a function.
    max_function_expr_depth, function_expr_depth, max_function_expr_depth: usize;
    /// Bytes in a string.
    max_string_size, string_size, max_string_size: usize;
    /// Items in an array.
    max_array_size, array_size, max_array_size: usize;
    /// Entries in a map.
    max_map_size, map_size, max_map_size: usize;
    /// Variables in scope: the context's and the metrics a rule reads,
    /// and its own `let`s (a context variable it never names is not put
    /// in its scope).
    max_variables, variables, max_variables: usize;
    /// Functions a script may define.
    max_functions, functions, max_functions: usize;
}

/// Which building block a script plugs into: decides which variables it
/// sees and how it is called.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScriptContext {
    /// A commission formula or gate: `amount`, `prior`, metrics.
    Commission,
    /// A KPI curve: `value`, metrics.
    Kpi,
    /// An incentive condition or cash amount: `score`, `rank` (unit `()`
    /// when the period has none), metrics.
    Incentive,
    /// A custom diagnostic finding over a role's figures: `staff`,
    /// `mean_score`, `min_score`, `max_score`, `median_achievement`.
    Diagnostics,
}

impl ScriptContext {
    /// The variables a rule of this context may read, as the explanation
    /// names them (fixed text: naming them in every employee's step copies
    /// nothing).
    fn variables(self) -> &'static [Text] {
        match self {
            ScriptContext::Commission => &COMMISSION_VARIABLES,
            ScriptContext::Kpi => &KPI_VARIABLES,
            ScriptContext::Incentive => &INCENTIVE_VARIABLES,
            ScriptContext::Diagnostics => &DIAGNOSTICS_VARIABLES,
        }
    }

    /// The context's variable called `name`, if it has one.
    fn variable(self, name: &str) -> Option<&'static Text> {
        self.variables().iter().find(|v| v.as_str() == name)
    }

    /// Where the context's variable called `name` is among its
    /// [`variables`](Self::variables): the place of its value in what a
    /// rule is run with.
    fn position(self, name: &str) -> Option<usize> {
        self.variables().iter().position(|v| v.as_str() == name)
    }
}

static COMMISSION_VARIABLES: [Text; 2] = [crate::text!("amount"), crate::text!("prior")];
static KPI_VARIABLES: [Text; 1] = [crate::text!("value")];
static INCENTIVE_VARIABLES: [Text; 2] = [crate::text!("score"), crate::text!("rank")];
static DIAGNOSTICS_VARIABLES: [Text; 5] = [
    crate::text!("staff"),
    crate::text!("mean_score"),
    crate::text!("min_score"),
    crate::text!("max_score"),
    crate::text!("median_achievement"),
];

/// Builds a [`ScriptEngine`]; see [`ScriptEngine::builder`].
#[derive(Clone, Debug, Default)]
pub struct ScriptEngineBuilder {
    sandbox: Sandbox,
    rounding: RoundingPolicy,
    tables: BTreeMap<String, TierTable>,
    metrics: BTreeSet<MetricId>,
    rhai_only: bool,
}

impl ScriptEngineBuilder {
    /// The sandbox limits (default: [`Sandbox::default`]).
    #[must_use]
    pub fn sandbox(mut self, sandbox: Sandbox) -> ScriptEngineBuilder {
        self.sandbox = sandbox;
        self
    }

    /// The policy `round_money` applies (default: cents, half up).
    #[must_use]
    pub fn rounding(mut self, policy: RoundingPolicy) -> ScriptEngineBuilder {
        self.rounding = policy;
        self
    }

    /// Makes a tier table callable as `tier("name", x)`.
    #[must_use]
    pub fn table(mut self, name: impl Into<String>, table: TierTable) -> ScriptEngineBuilder {
        self.tables.insert(name.into(), table);
        self
    }

    /// Declares a metric scripts may read. A script reading a metric that
    /// is not declared fails to compile.
    #[must_use]
    pub fn metric(mut self, metric: MetricId) -> ScriptEngineBuilder {
        self.metrics.insert(metric);
        self
    }

    /// Declares several metrics.
    #[must_use]
    pub fn metrics(mut self, metrics: impl IntoIterator<Item = MetricId>) -> ScriptEngineBuilder {
        self.metrics.extend(metrics);
        self
    }

    /// Runs every rule in rhai, even rules in the arithmetic subset that
    /// are otherwise compiled to a native tree (see [`Script::is_native`]).
    /// The results are the same either way; this exists to compare the two
    /// and to measure them.
    #[must_use]
    pub fn rhai_only(mut self) -> ScriptEngineBuilder {
        self.rhai_only = true;
        self
    }

    /// Builds the engine.
    pub fn build(self) -> ScriptEngine {
        let tables = Arc::new(self.tables);
        let engine = build_engine(&self.sandbox, self.rounding, Arc::clone(&tables));
        ScriptEngine {
            engine: Arc::new(engine),
            sandbox: self.sandbox,
            rounding: self.rounding,
            tables,
            metrics: Arc::new(self.metrics),
            rhai_only: self.rhai_only,
        }
    }
}

/// The sandboxed rhai engine with perfpay's domain API; compiles [`Script`]s.
///
/// Cheap to clone and `Send + Sync`: share one per plan.
///
/// ```
/// use perfpay::{Decimal, MetricId};
/// use perfpay::id::RuleId;
/// use perfpay::script::{ScriptContext, ScriptEngine};
///
/// let engine = ScriptEngine::builder().metric(MetricId::new("satisfaction")?).build();
/// let rule = engine.compile(
///     RuleId::new("seed-commission")?,
///     "let rate = if amount > 100000 { 0.03 } else { 0.02 }; amount * rate",
///     ScriptContext::Commission,
/// )?;
/// assert_eq!(rule.reads().len(), 0);
/// # Ok::<(), perfpay::Error>(())
/// ```
#[derive(Clone)]
pub struct ScriptEngine {
    engine: Arc<Engine>,
    sandbox: Sandbox,
    rounding: RoundingPolicy,
    tables: Arc<BTreeMap<String, TierTable>>,
    metrics: Arc<BTreeSet<MetricId>>,
    rhai_only: bool,
}

impl fmt::Debug for ScriptEngine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScriptEngine")
            .field("sandbox", &self.sandbox)
            .field("tables", &self.tables.keys().collect::<Vec<_>>())
            .field("metrics", &self.metrics)
            .finish()
    }
}

fn to_decimal(value: &Dynamic) -> Option<Decimal> {
    // read in place: a decimal in a `Dynamic` is boxed, a clone allocates
    value
        .as_decimal()
        .or_else(|_| value.as_int().map(Decimal::from))
        .ok()
}

fn build_engine(
    sandbox: &Sandbox,
    rounding: RoundingPolicy,
    tables: Arc<BTreeMap<String, TierTable>>,
) -> Engine {
    // the raw engine has no packages: scripts get exactly what
    // `library::register` gives them
    let mut engine = Engine::new_raw();
    engine
        .set_strict_variables(true)
        // operators may be overridden: `/` on two integers is exact and
        // `**` is perfpay's checked power
        .set_fast_operators(false)
        .set_max_operations(sandbox.max_operations)
        .set_max_call_levels(sandbox.max_call_levels)
        .set_max_expr_depths(sandbox.max_expr_depth, sandbox.max_function_expr_depth)
        .set_max_string_size(sandbox.max_string_size)
        .set_max_array_size(sandbox.max_array_size)
        .set_max_map_size(sandbox.max_map_size)
        .set_max_variables(sandbox.max_variables)
        .set_max_functions(sandbox.max_functions)
        .disable_symbol("eval");
    engine.on_print(|_| {});
    engine.on_debug(|_, _, _| {});
    engine.on_progress(|_| (!library::budget::spend()).then_some(Dynamic::UNIT));
    library::register(&mut engine, rounding, tables);
    engine
}

fn map_refused(rule: &RuleId, pos: rhai::Position) -> Error {
    at(
        script_error(
            rule,
            "object maps are not available to rules",
            ScriptFault::Syntax,
        ),
        pos,
    )
}

/// The functions a script defines itself.
fn own_functions(ast: &AST) -> BTreeSet<String> {
    ast.iter_functions().map(|f| f.name.to_owned()).collect()
}

impl ScriptEngine {
    /// A builder with safe defaults.
    pub fn builder() -> ScriptEngineBuilder {
        ScriptEngineBuilder::default()
    }

    /// The sandbox limits.
    pub fn sandbox(&self) -> &Sandbox {
        &self.sandbox
    }

    /// Refuses a call to a function scripts may not call, and a
    /// `tier("…", …)` with a literal name that names no table.
    fn check_call(
        &self,
        rule: &RuleId,
        call: &rhai::FnCallExpr,
        defined: &BTreeSet<String>,
    ) -> Option<Error> {
        let name = call.name.as_str();
        let allowed = call.op_token.is_some()
            || library::FUNCTIONS.contains(&name)
            || library::KEYWORDS.contains(&name)
            || defined.contains(name);
        if !allowed {
            return Some(script_error(
                rule,
                format!("function {name} is not available to rules"),
                ScriptFault::UnknownFunction,
            ));
        }
        if name == "tier"
            && let Some(Expr::StringConstant(table, _)) = call.args.first()
            && !self.tables.contains_key(table.as_str())
        {
            return Some(script_error(
                rule,
                format!("no tier table named {table}"),
                ScriptFault::UnknownFunction,
            ));
        }
        None
    }

    /// Compiles `source` as rule `rule` for `context`.
    ///
    /// Every variable the script reads must be a context variable, a
    /// declared metric, or a local it defines; `tier("name", …)` with a
    /// literal name must name a registered table. All of this is checked
    /// now, not on payday.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Script`](crate::ErrorKind::Script) with the rule id, the
    /// line and column, and a [`ScriptFault`]: a syntax error, an unknown
    /// variable or table, an expression nested deeper than the
    /// sandbox allows, too many functions.
    pub fn compile(&self, rule: RuleId, source: &str, context: ScriptContext) -> Result<Script> {
        let mut scope = Scope::new();
        for name in context.variables() {
            scope.push(name.as_str(), Dynamic::UNIT);
        }
        for metric in self.metrics.iter() {
            if context.variable(metric.as_str()).is_none() {
                scope.push(metric.as_str().to_owned(), Dynamic::UNIT);
            }
        }
        let ast = self
            .engine
            .compile_with_scope(&scope, source)
            .map_err(|e| parse_error(&rule, &e))?;

        let (reads, uses) = self.inspect(&rule, &ast, context)?;
        let tree = self.native_tree(&ast, context);
        // a metric named like one of the context's variables is hidden by it
        let scoped = reads
            .iter()
            .filter(|m| context.variable(m.as_str()).is_none())
            .cloned()
            .collect();
        Ok(Script {
            inner: Arc::new(ScriptInner {
                described: Label::with(&msg::RULE_NAMED, Term::text(&rule)),
                rule,
                engine: Arc::clone(&self.engine),
                ast,
                reads: reads.into_iter().collect(),
                scoped,
                uses,
                context,
                tree,
            }),
        })
    }

    /// What a compiled script reads (variables that are declared metrics),
    /// after checking that every call names a function scripts may call
    /// (and `tier("…", …)` a known table) and that it builds no map.
    fn inspect(
        &self,
        rule: &RuleId,
        ast: &AST,
        context: ScriptContext,
    ) -> Result<(BTreeSet<MetricId>, Vec<usize>)> {
        // Find what the script reads (variables that are declared metrics,
        // and the context's own), check `tier("…", …)` calls with a literal
        // table name, and check that every call names a function scripts
        // may call.
        let mut reads = BTreeSet::new();
        let mut uses: Vec<usize> = Vec::new();
        let mut problem: Option<Error> = None;
        let defined = own_functions(ast);
        ast.walk(&mut |path: &[ASTNode]| {
            if problem.is_some() {
                return false;
            }
            problem = match path.last() {
                Some(ASTNode::Expr(Expr::Variable(x, _, _))) => {
                    if let Some(metric) = self.metrics.iter().find(|m| m.as_str() == x.1.as_str()) {
                        reads.insert(metric.clone());
                    }
                    if let Some(own) = context.position(x.1.as_str())
                        && !uses.contains(&own)
                    {
                        uses.push(own);
                    }
                    None
                }
                Some(ASTNode::Expr(Expr::FnCall(call, pos) | Expr::MethodCall(call, pos)))
                | Some(ASTNode::Stmt(Stmt::FnCall(call, pos))) => {
                    self.check_call(rule, call, &defined).map(|e| at(e, *pos))
                }
                // rhai does not check a map's size when an index assignment
                // adds a key, so a map could outgrow the sandbox; pay rules
                // have no use for one
                Some(ASTNode::Expr(Expr::Map(_, pos))) => Some(map_refused(rule, *pos)),
                Some(ASTNode::Expr(Expr::DynamicConstant(value, pos))) if value.is_map() => {
                    Some(map_refused(rule, *pos))
                }
                _ => None,
            };
            true
        });
        match problem {
            Some(err) => Err(err),
            None => Ok((reads, uses)),
        }
    }

    /// The script as a native tree, with where each of its inputs comes
    /// from, when the tree covers everything it does (otherwise rhai runs
    /// it).
    fn native_tree(&self, ast: &AST, context: ScriptContext) -> Option<(native::Tree, Vec<(Source, usize)>)> {
        let known =
            |name: &str| context.variable(name).is_some() || self.metrics.iter().any(|m| m.as_str() == name);
        if self.rhai_only {
            None
        } else {
            native::Tree::compile(
                ast,
                &known,
                &self.tables,
                self.rounding,
                (
                    self.sandbox.max_operations,
                    // rhai counts the scope's variables too
                    self.sandbox
                        .max_variables
                        .saturating_sub(context.variables().len().saturating_add(self.metrics.len())),
                ),
            )
            .and_then(|tree| {
                // where each input comes from, resolved once (every input is
                // a context variable or a declared metric, or there is no tree)
                let sources = tree
                    .inputs()
                    .iter()
                    .map(|(name, slot)| {
                        let source = match context.position(name.as_str()) {
                            Some(at) => Source::Variable(at),
                            None => Source::Metric(
                                self.metrics.iter().find(|m| m.as_str() == name.as_str())?.clone(),
                            ),
                        };
                        Some((source, *slot))
                    })
                    .collect::<Option<Vec<_>>>()?;
                Some((tree, sources))
            })
        }
    }
}

/// `err` at rhai's position `pos`, when rhai knows one (it has none for
/// some runtime errors, such as a data race: no position is better than a
/// made-up line 0).
fn at(err: Error, pos: rhai::Position) -> Error {
    match (pos.line(), pos.position()) {
        (Some(line), column) => err.with_position(Position {
            line,
            column: column.unwrap_or(0),
        }),
        (None, _) => err,
    }
}

fn script_error(rule: &RuleId, message: impl Into<Cow<'static, str>>, fault: ScriptFault) -> Error {
    Error::script(rule.clone(), message).with_script_fault(fault)
}

fn parse_error(rule: &RuleId, err: &ParseError) -> Error {
    let fault = match &*err.0 {
        ParseErrorType::VariableUndefined(_) => ScriptFault::UnknownVariable,
        ParseErrorType::ExprTooDeep => ScriptFault::Limit(Limit::ExpressionDepth),
        ParseErrorType::TooManyFunctions => ScriptFault::Limit(Limit::Functions),
        ParseErrorType::LiteralTooLarge(what, _) if what.contains("string") => {
            ScriptFault::Limit(Limit::StringSize)
        }
        ParseErrorType::LiteralTooLarge(what, _) if what.contains("array") => {
            ScriptFault::Limit(Limit::ArraySize)
        }
        ParseErrorType::LiteralTooLarge(..) => ScriptFault::Limit(Limit::MapSize),
        _ => ScriptFault::Syntax,
    };
    let message = match &*err.0 {
        ParseErrorType::VariableUndefined(name) => format!("variable {name} is not defined"),
        other => lower_first(&other.to_string()),
    };
    at(script_error(rule, message, fault), err.position())
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn eval_error(rule: &RuleId, err: &EvalAltResult) -> Error {
    use EvalAltResult as E;
    let (fault, message): (ScriptFault, String) = match err {
        E::ErrorTooManyOperations(..) | E::ErrorTerminated(..) => (
            ScriptFault::Limit(Limit::Operations),
            "script exceeded its operation limit".into(),
        ),
        E::ErrorStackOverflow(..) => (
            ScriptFault::Limit(Limit::CallDepth),
            "script exceeded its call depth limit".into(),
        ),
        E::ErrorTooManyVariables(..) => (
            ScriptFault::Limit(Limit::Variables),
            "script defined too many variables".into(),
        ),
        E::ErrorDataTooLarge(what, ..) => {
            let limit = if what.contains("string") {
                Limit::StringSize
            } else if what.contains("array") {
                Limit::ArraySize
            } else {
                Limit::MapSize
            };
            (
                ScriptFault::Limit(limit),
                format!("script exceeded its size limit: {}", lower_first(what)),
            )
        }
        E::ErrorArithmetic(msg, ..) => (ScriptFault::Arithmetic, lower_first(msg)),
        E::ErrorFunctionNotFound(sig, ..) => {
            (ScriptFault::UnknownFunction, format!("function not found: {sig}"))
        }
        E::ErrorVariableNotFound(name, ..) => (
            ScriptFault::UnknownVariable,
            format!("variable {name} is not defined"),
        ),
        E::ErrorMismatchOutputType(want, got, ..) => (
            ScriptFault::WrongType,
            format!("script returned {got}, expected {want}"),
        ),
        E::ErrorInFunctionCall(_, _, inner, ..) => return eval_error(rule, inner),
        E::ErrorRuntime(value, ..) => (ScriptFault::Runtime, lower_first(&value.to_string())),
        other => (ScriptFault::Runtime, lower_first(&other.to_string())),
    };
    at(script_error(rule, message, fault), err.position())
}

/// Where a native tree's input comes from.
#[derive(Clone, Debug)]
enum Source {
    /// A variable of the context (`amount`, `value`, …), by its place in
    /// [`ScriptContext::variables`].
    Variable(usize),
    /// A declared metric.
    Metric(MetricId),
}

/// Runs `tree` with its inputs taken from the call's variables (`values`,
/// in the context's order) and the metrics; `None` when it declines or an
/// input is missing (rhai then reports what is wrong).
fn run_tree(
    tree: &native::Tree,
    sources: &[(Source, usize)],
    values: &[Option<Decimal>],
    metrics: &dyn Metrics,
) -> Option<ScriptValue> {
    // an input's value; `None` inside for a variable that is `()`
    let read = |source: &Source| -> Option<Option<Decimal>> {
        Some(match source {
            Source::Variable(at) => *values.get(*at)?,
            Source::Metric(metric) => Some(metrics.metric(metric)?),
        })
    };
    let value = if let Some(typed) = tree.typed() {
        // a typed rule's inputs are decimals: one that is `()` runs in rhai
        let mut env: native::typed::Env = [Decimal::ZERO; native::MAX_SLOTS];
        for (source, slot) in sources {
            *env.get_mut(*slot)? = read(source)??;
        }
        typed.run(&mut env)?
    } else {
        let mut slots = [native::Value::Unit; native::MAX_SLOTS];
        for (source, slot) in sources {
            *slots.get_mut(*slot)? = read(source)?.map_or(native::Value::Unit, native::Value::Dec);
        }
        tree.run(&mut slots)?
    };
    match value {
        native::Value::Dec(d) => Some(ScriptValue::Amount(d)),
        native::Value::Int(i) => Some(ScriptValue::Amount(Decimal::from(i))),
        native::Value::Bool(b) => Some(ScriptValue::Flag(b)),
        native::Value::Unit => None,
    }
}

thread_local! {
    /// Emptied scopes kept for the next rule run through rhai on this
    /// thread (at most one per rule running at once on it).
    static SCOPES: std::cell::RefCell<Vec<Scope<'static>>> = const { std::cell::RefCell::new(Vec::new()) };
}

struct ScriptInner {
    rule: RuleId,
    /// `rule <id>`, made once and shared by every explanation.
    described: Label,
    engine: Arc<Engine>,
    ast: AST,
    reads: Vec<MetricId>,
    /// The metrics it reads that no context variable hides: what its
    /// scope is given besides the variables.
    scoped: Vec<MetricId>,
    /// The context's variables the script reads, by place in
    /// [`ScriptContext::variables`]: the others are not put in its scope.
    uses: Vec<usize>,
    context: ScriptContext,
    /// The rule as a native tree, when it is in the arithmetic subset, with
    /// where each of its inputs comes from.
    tree: Option<(native::Tree, Vec<(Source, usize)>)>,
}

/// A compiled rule: compile once, evaluate many times. `Send + Sync` and
/// cheap to clone.
#[derive(Clone)]
pub struct Script {
    inner: Arc<ScriptInner>,
}

impl fmt::Debug for Script {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Script")
            .field("rule", &self.inner.rule)
            .field("context", &self.inner.context)
            .field("reads", &self.inner.reads)
            .finish_non_exhaustive()
    }
}

/// What a script returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScriptValue {
    /// A number (integers are widened to decimals).
    Amount(Decimal),
    /// A yes/no answer.
    Flag(bool),
}

impl Script {
    /// The rule's id.
    pub fn rule(&self) -> &RuleId {
        &self.inner.rule
    }

    /// The context the script was compiled for.
    pub fn context(&self) -> ScriptContext {
        self.inner.context
    }

    /// The declared metrics the script reads, found when it was compiled.
    pub fn reads(&self) -> &[MetricId] {
        &self.inner.reads
    }

    fn expect_context(&self, context: ScriptContext) -> Result<()> {
        if self.inner.context == context {
            Ok(())
        } else {
            Err(script_error(
                &self.inner.rule,
                format!(
                    "rule was compiled for a {:?} context and cannot run in a {context:?} context",
                    self.inner.context
                ),
                ScriptFault::Runtime,
            ))
        }
    }

    /// Runs the script with `values` — the value of each of the context's
    /// [`variables`](ScriptContext::variables), in that order, `None` for
    /// `()` — plus the metrics it reads.
    fn run(&self, values: &[Option<Decimal>], metrics: &dyn Metrics) -> Result<ScriptValue> {
        let inner = &*self.inner;
        if let Some((tree, sources)) = &inner.tree
            && let Some(value) = run_tree(tree, sources, values, metrics)
        {
            return Ok(value);
        }
        // a scope this thread used before, emptied: its two vectors are
        // allocated once per thread, not once per evaluation
        let mut scope = SCOPES.with(|pool| pool.borrow_mut().pop()).unwrap_or_default();
        // only what the script reads: a variable it never names costs a
        // scope entry for nothing
        let names = inner.context.variables();
        for (at, value) in values
            .iter()
            .enumerate()
            .filter(|(at, _)| inner.uses.contains(at))
        {
            let Some(name) = names.get(at) else { continue };
            match value {
                Some(v) => scope.push_constant(name.as_str(), *v),
                None => scope.push_constant(name.as_str(), Dynamic::UNIT),
            };
        }
        for metric in &inner.scoped {
            let value = metrics.metric(metric).ok_or_else(|| {
                Error::data(format!("metric {metric} is missing"))
                    .with_rule(inner.rule.clone())
                    .with_path(format!("metrics.{metric}"))
            })?;
            scope.push_constant(metric.as_str(), value);
        }
        library::budget::start(inner.engine.max_operations());
        let result = inner
            .engine
            .eval_ast_with_scope::<Dynamic>(&mut scope, &inner.ast);
        scope.clear();
        SCOPES.with(|pool| pool.borrow_mut().push(scope));
        let result = result.map_err(|e| eval_error(&inner.rule, &e))?;
        if let Ok(flag) = result.as_bool() {
            return Ok(ScriptValue::Flag(flag));
        }
        match to_decimal(&result) {
            Some(amount) => Ok(ScriptValue::Amount(amount)),
            None => Err(script_error(
                &inner.rule,
                format!(
                    "script returned {}, expected a number or a boolean",
                    result.type_name()
                ),
                ScriptFault::WrongType,
            )),
        }
    }

    /// Whether the rule runs as a native tree (it is in the arithmetic
    /// subset: literals, variables, `+ − × ÷ %`, comparisons, `&&` `||` `!`,
    /// `if`/`else`, `let`, `return` and the helpers) rather than in rhai.
    /// Results are the same either way; a tree hands anything unusual —
    /// an error, an unexpected type — to rhai.
    ///
    /// ```
    /// use perfpay::id::RuleId;
    /// use perfpay::script::{ScriptContext, ScriptEngine};
    ///
    /// let engine = ScriptEngine::builder().build();
    /// let plain = engine.compile(RuleId::new("r")?, "if amount > 100000 { amount * 0.03 } else { amount * 0.02 }", ScriptContext::Commission)?;
    /// assert!(plain.is_native());
    /// let looping = engine.compile(RuleId::new("l")?, "let s = 0; for i in 0..3 { s += i } s", ScriptContext::Commission)?;
    /// assert!(!looping.is_native());
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn is_native(&self) -> bool {
        self.inner.tree.is_some()
    }

    fn amount(&self, values: &[Option<Decimal>], metrics: &dyn Metrics) -> Result<Decimal> {
        self.expect_amount(self.run(values, metrics)?)
    }

    /// The number a rule returned; a boolean is a wrong-type error.
    fn expect_amount(&self, value: ScriptValue) -> Result<Decimal> {
        match value {
            ScriptValue::Amount(amount) => Ok(amount),
            ScriptValue::Flag(_) => Err(script_error(
                &self.inner.rule,
                "script returned a boolean, expected a number",
                ScriptFault::WrongType,
            )),
        }
    }

    /// The boolean a rule returned; a number is a wrong-type error.
    fn expect_flag(&self, value: ScriptValue) -> Result<bool> {
        match value {
            ScriptValue::Flag(flag) => Ok(flag),
            ScriptValue::Amount(_) => Err(script_error(
                &self.inner.rule,
                "script returned a number, expected a boolean",
                ScriptFault::WrongType,
            )),
        }
    }

    fn flag(&self, values: &[Option<Decimal>], metrics: &dyn Metrics) -> Result<bool> {
        self.expect_flag(self.run(values, metrics)?)
    }

    /// Evaluates a commission-context script directly: `amount`, `prior`
    /// and `metrics`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Data`](crate::ErrorKind::Data) for a metric the script
    /// reads that is missing; [`ErrorKind::Script`](crate::ErrorKind::Script)
    /// with the rule id, position and [`ScriptFault`] for anything the
    /// script does wrong.
    ///
    /// ```
    /// use perfpay::{Decimal, MetricId};
    /// use perfpay::id::RuleId;
    /// use perfpay::metric::NoMetrics;
    /// use perfpay::script::{ScriptContext, ScriptEngine, ScriptValue};
    ///
    /// let engine = ScriptEngine::builder().build();
    /// let rule = engine.compile(RuleId::new("r")?, "amount * 0.03", ScriptContext::Commission)?;
    /// let value = rule.evaluate_commission(Decimal::from(1_000), Decimal::ZERO, &NoMetrics)?;
    /// assert_eq!(value, ScriptValue::Amount(Decimal::from(30)));
    /// # Ok::<(), perfpay::Error>(())
    /// ```
    pub fn evaluate_commission(
        &self,
        amount: Decimal,
        prior: Decimal,
        metrics: &dyn Metrics,
    ) -> Result<ScriptValue> {
        self.expect_context(ScriptContext::Commission)?;
        self.run(&[Some(amount), Some(prior)], metrics)
    }

    /// Adds the inputs the script read to an explanation step: the
    /// context's variables it names (`values` in the context's order, as
    /// [`run`](Self::run) takes them) and the metrics it reads, not the
    /// variables it never names.
    fn annotate_with(
        &self,
        mut step: Explanation,
        values: &[Option<Decimal>],
        metrics: &dyn Metrics,
    ) -> Explanation {
        let uses = &self.inner.uses;
        step.reserve_inputs(uses.len().saturating_add(self.inner.reads.len()));
        let names = self.inner.context.variables();
        for (at, value) in values.iter().enumerate().filter(|(at, _)| uses.contains(at)) {
            if let (Some(name), Some(value)) = (names.get(at), value) {
                step = step.input(name.clone(), *value, Unit::Number);
            }
        }
        for metric in &self.inner.reads {
            if let Some(value) = metrics.metric(metric) {
                step = step.input(metric, value, Unit::Number);
            }
        }
        step
    }
}

impl<'a> Formula<CommissionContext<'a>> for Script {
    fn evaluate(&self, ctx: &CommissionContext<'a>) -> Result<Decimal> {
        self.expect_context(ScriptContext::Commission)?;
        self.amount(&[Some(ctx.amount), Some(ctx.prior)], ctx.metrics)
    }

    fn describe(&self) -> Label {
        self.inner.described.clone()
    }

    fn annotate(&self, ctx: &CommissionContext<'a>, step: Explanation) -> Explanation {
        self.annotate_with(step, &[Some(ctx.amount), Some(ctx.prior)], ctx.metrics)
    }
}

impl<'a> Condition<CommissionContext<'a>> for Script {
    fn holds(&self, ctx: &CommissionContext<'a>) -> Result<bool> {
        self.expect_context(ScriptContext::Commission)?;
        self.flag(&[Some(ctx.amount), Some(ctx.prior)], ctx.metrics)
    }

    fn describe(&self) -> Label {
        self.inner.described.clone()
    }

    fn annotate(&self, ctx: &CommissionContext<'a>, step: Explanation) -> Explanation {
        self.annotate_with(step, &[Some(ctx.amount), Some(ctx.prior)], ctx.metrics)
    }
}

impl Script {
    fn incentive(&self, ctx: &IncentiveContext<'_>) -> Result<ScriptValue> {
        self.expect_context(ScriptContext::Incentive)?;
        // `()` when the employee has no score or no rank
        let values = [ctx.facts.score, ctx.facts.rank.map(Decimal::from)];
        self.run(&values, ctx.facts.metrics.as_ref())
    }

    fn annotate_incentive(&self, ctx: &IncentiveContext<'_>, mut step: Explanation) -> Explanation {
        if let Some(score) = ctx.facts.score {
            step = step.input(&msg::SCORE, score, Unit::Score);
        }
        if let Some(rank) = ctx.facts.rank {
            step = step.input(&msg::RANK, Decimal::from(rank), Unit::Count);
        }
        self.annotate_with(step, &[], ctx.facts.metrics.as_ref())
    }
}

impl<'a> Formula<IncentiveContext<'a>> for Script {
    fn evaluate(&self, ctx: &IncentiveContext<'a>) -> Result<Decimal> {
        self.expect_amount(self.incentive(ctx)?)
    }

    fn describe(&self) -> Label {
        self.inner.described.clone()
    }

    fn annotate(&self, ctx: &IncentiveContext<'a>, step: Explanation) -> Explanation {
        self.annotate_incentive(ctx, step)
    }
}

impl<'a> Condition<IncentiveContext<'a>> for Script {
    fn holds(&self, ctx: &IncentiveContext<'a>) -> Result<bool> {
        self.expect_flag(self.incentive(ctx)?)
    }

    fn describe(&self) -> Label {
        self.inner.described.clone()
    }

    fn annotate(&self, ctx: &IncentiveContext<'a>, step: Explanation) -> Explanation {
        self.annotate_incentive(ctx, step)
    }
}

impl Condition<RoleStats> for Script {
    fn holds(&self, stats: &RoleStats) -> Result<bool> {
        self.expect_context(ScriptContext::Diagnostics)?;
        self.flag(&diagnostics_values(stats)?, &crate::metric::NoMetrics)
    }

    fn describe(&self) -> Label {
        self.inner.described.clone()
    }

    fn annotate(&self, stats: &RoleStats, step: Explanation) -> Explanation {
        match diagnostics_values(stats) {
            Ok(values) => self.annotate_with(step, &values, &crate::metric::NoMetrics),
            Err(_) => step,
        }
    }
}

/// A role's [`summary`](RoleStats::summary) as a diagnostics rule is run
/// with: the value of each of the context's variables, in its order.
fn diagnostics_values(stats: &RoleStats) -> Result<[Option<Decimal>; 5]> {
    let summary = stats.summary()?;
    Ok(DIAGNOSTICS_VARIABLES
        .each_ref()
        .map(|name| summary.iter().find(|(n, _)| *n == name.as_str()).map(|(_, v)| *v)))
}

impl<'a> Formula<KpiContext<'a>> for Script {
    fn evaluate(&self, ctx: &KpiContext<'a>) -> Result<Decimal> {
        self.expect_context(ScriptContext::Kpi)?;
        self.amount(&[Some(ctx.value)], ctx.metrics)
    }

    fn describe(&self) -> Label {
        self.inner.described.clone()
    }

    fn annotate(&self, ctx: &KpiContext<'a>, step: Explanation) -> Explanation {
        self.annotate_with(step, &[Some(ctx.value)], ctx.metrics)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_without_a_position_gets_none_not_line_zero() {
        let rule = RuleId::new("r").unwrap();
        // rhai reports a data race without a position
        let race = EvalAltResult::ErrorDataRace(String::new(), rhai::Position::NONE);
        let err = eval_error(&rule, &race);
        assert_eq!(err.position(), None);
        assert_eq!(err.to_string(), "rule r: data race detected");
        let at_line = at(
            script_error(&rule, "x", ScriptFault::Runtime),
            rhai::Position::new(3, 7),
        );
        assert_eq!(at_line.position(), Some(Position { line: 3, column: 7 }));
    }
}
