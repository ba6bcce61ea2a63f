//! The sparse L-BFGS solver and linfa-logistic's dense MultinomialLogisticRegression minimize the
//! same objective: on a small data set they must reach the same optimum and predictions.

use postura::features::{FeatureConfig, Featurizer, Statement};
use postura::model::objective::Objective;
use postura::model::solver::{SolverConfig, SolverKind, fit_linfa, minimize};
use postura::text::TextConfig;

const ROWS: &[(&str, u32)] = &[
    ("El partido respalda con entusiasmo al candidato", 2),
    ("La central obrera celebró la victoria del candidato", 2),
    ("El gobernador apoya la reforma del candidato", 2),
    ("Los empresarios elogiaron el plan del candidato", 2),
    ("La alianza confirmó su apoyo al candidato", 2),
    ("Miles marcharon en defensa del candidato", 2),
    ("El ministro defendió la gestión del candidato", 2),
    ("La diputada felicitó al candidato por su triunfo", 2),
    ("El candidato visitará la provincia el martes", 1),
    ("El candidato se reunió con los intendentes", 1),
    ("La agenda del candidato incluye tres actos", 1),
    ("El candidato viajará a la capital mañana", 1),
    ("El candidato presentó su lista de diputados", 1),
    ("Se publicó el cronograma de la campaña del candidato", 1),
    ("El candidato habló con la prensa local", 1),
    ("La comitiva del candidato llegó al aeropuerto", 1),
    ("La oposición criticó duramente al candidato", 0),
    ("El sindicato rechaza la propuesta del candidato", 0),
    ("El partido no otorgará apoyo al candidato", 0),
    ("Los vecinos abuchearon al candidato en el acto", 0),
    ("La fiscalía investiga al candidato por sus gastos", 0),
    ("El senador acusó al candidato de mentir", 0),
    ("La encuesta muestra la caída del candidato", 0),
    ("El gobierno se distancia del candidato", 0),
];

#[test]
fn sparse_solver_agrees_with_linfa() {
    let statements: Vec<Statement> = ROWS.iter().map(|(t, _)| Statement::new(t, None)).collect();
    let y: Vec<u32> = ROWS.iter().map(|r| r.1).collect();
    let features = FeatureConfig {
        char_ngrams: (0, 0),
        min_df: 1,
        window: 0,
        ..FeatureConfig::default()
    };
    let (_, x) = Featurizer::fit_transform(TextConfig::default(), features, &statements);
    let alpha = 0.5;
    let weights = vec![1.0; y.len()];
    let obj = Objective::new(x.clone(), &y, &weights, 3, alpha);
    let cfg = SolverConfig {
        kind: SolverKind::Sparse,
        max_iter: 1000,
        rel_tol: 1e-12,
    };
    let ours = minimize(&obj, &cfg, None).expect("sparse solver");
    let theirs = fit_linfa(&x, &y, 3, alpha, &cfg).expect("linfa solver");
    let rel = (ours.cost - theirs.cost).abs() / theirs.cost.abs().max(1e-12);
    assert!(
        rel < 1e-4,
        "objective differs: sparse {} vs linfa {} (relative {rel})",
        ours.cost,
        theirs.cost
    );
    // The objective is strictly convex: a real optimum is far below the cost at zero.
    let (zero_cost, _) = obj.cost_grad(&vec![0.0; obj.n_params()]);
    assert!(ours.cost < 0.9 * zero_cost);
    let predict = |theta: &[f64]| -> Vec<usize> { obj.scores(theta).chunks(3).map(postura::model::argmax).collect() };
    assert_eq!(predict(&ours.theta), predict(&theirs.theta));
}
