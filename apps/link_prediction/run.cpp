// SPDX-License-Identifier: Apache-2.0
// moegnn-link-prediction's experiment: data, splits, models, trainer, heuristics, predictions.
#include "apps/link_prediction/run.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>

#include "core/error.h"
#include "core/parallel.h"
#include "datasets/registry.h"
#include "graph/common_neighbors.h"
#include "graph/generators.h"
#include "models/training/link_task.h"
#include "models/training/metrics_link.h"
#include "models/training/metrics_ogb.h"
#include "models/training/model_state.h"
#include "models/training/trainer.h"
#include "core/optim/adam.h"

namespace moegnn::apps {
namespace {

struct Data {
  std::string name;
  graph::Csr graph;  // the full symmetric graph (Planetoid protocol) or OGB's training graph
  Tensor features;   // empty: learnable node embeddings
  bool published = false;  // OGB split: the same every run
  models::LinkSets sets;   // published only
};

Data load(const LinkAppOptions& o) {
  Data d;
  d.name = o.dataset;
  const std::filesystem::path dir = o.data_dir.empty() ? datasets::default_data_dir() : o.data_dir;
  if (o.dataset == "generated") {
    graph::RmatOptions r;
    r.num_nodes = o.nodes;
    r.num_edges = 8 * static_cast<graph::EdgeId>(o.nodes);
    r.self_loops = false;
    r.seed = 1;
    d.graph = graph::rmat(r);
  } else if (o.dataset == "ogbl-ddi") {
    datasets::LinkDataset ds = datasets::load_link_dataset(o.dataset, dir);
    d.graph = ds.graph;
    d.published = true;
    d.sets = {ds.graph, ds.train.pos, ds.val.pos, ds.val.neg, ds.test.pos, ds.test.neg};
    models::check(d.sets, ds.num_nodes());
  } else {
    datasets::NodeDataset ds = datasets::load_node_dataset(o.dataset, dir);
    d.graph = ds.graph;
    d.features = ds.features;
  }
  return d;
}

models::LinkConv conv_of(const std::string& name) {
  if (name == "puresum") return models::LinkConv::PureSum;
  if (name == "gcn") return models::LinkConv::Gcn;
  if (name == "sage") return models::LinkConv::Sage;
  return models::LinkConv::PureGcn;
}

std::unique_ptr<models::LinkModel> build_model(const LinkAppOptions& o, const Data& d, Rng& rng) {
  models::LinkEncoderOptions e;
  e.conv = conv_of(o.encoder);
  e.in_channels = d.features.cols();
  e.num_nodes = d.graph.num_nodes();
  e.hidden = o.hidden;
  e.layers = o.mplayers;
  e.xdp = o.xdp;
  e.gnndp = o.gnndp;
  e.tdp = o.tdp;
  e.ln = o.ln;
  e.res = o.res;
  e.jk = o.jk;
  models::LinkPredictorOptions p;
  p.kind = o.model == "ncn"    ? models::LinkPredictorKind::Ncn
           : o.model == "ncnc" ? models::LinkPredictorKind::Ncnc
           : o.decoder == "dot" ? models::LinkPredictorKind::Dot
                                : models::LinkPredictorKind::Gae;
  p.probscale = o.probscale;
  p.proboffset = o.proboffset;
  p.pt = o.pt;
  p.alpha = o.alpha;
  p.completion = o.completion;
  p.hidden = o.hidden;
  p.predp = o.predp;
  p.preedp = o.preedp;
  p.lnnn = o.lnnn;
  p.use_xlin = o.use_xlin;
  p.tailact = o.tailact;
  p.twolayerlin = o.twolayerlin;
  p.beta = o.beta;
  p.max_cn_degree = o.cndeg;
  return std::make_unique<models::LinkModel>(e, p, rng);
}

// Test numbers of one run beyond the selection metric: Hits@20/50/100, AUC, AP.
void add_test_extras(const std::vector<float>& pos, const std::vector<float>& neg,
                     training::FitResult& fit) {
  for (const Index k : {20, 50, 100})
    fit.extras["test_hits@" + std::to_string(k)] = training::hits_at_k(pos, neg, k);
  std::vector<float> labels(pos.size(), 1.0f), scores(pos);
  labels.resize(pos.size() + neg.size(), 0.0f);
  scores.insert(scores.end(), neg.begin(), neg.end());
  fit.extras["test_auc"] = training::roc_auc_score(labels, scores);
  fit.extras["test_ap"] = training::average_precision(pos, neg);
}

training::FitResult run_heuristic(const LinkAppOptions& o, const models::LinkSets& s) {
  const graph::LinkHeuristic h = o.model == "cn"   ? graph::LinkHeuristic::CommonNeighbors
                                 : o.model == "aa" ? graph::LinkHeuristic::AdamicAdar
                                                   : graph::LinkHeuristic::ResourceAllocation;
  const auto score = [&](const graph::EdgeList& e) {
    return graph::link_heuristic(s.train_graph, e, h);
  };
  training::FitResult fit;
  fit.best_epoch = 0;
  fit.best.val_metric = training::hits_at_k(score(s.val_pos), score(s.val_neg), o.hits_k);
  const auto pos = score(s.test_pos), neg = score(s.test_neg);
  fit.best.test_metric = training::hits_at_k(pos, neg, o.hits_k);
  add_test_extras(pos, neg, fit);
  fit.history.push_back(fit.best);
  return fit;
}

training::TrainOptions train_options(const LinkAppOptions& o, Index run, std::uint64_t seed) {
  training::TrainOptions t;
  t.epochs = o.epochs;
  t.lr = o.prelr;
  t.seed = seed;
  t.select_on = training::Monitor::ValMetric;
  t.early_stopping = {.patience = o.patience, .monitor = training::Monitor::ValMetric};
  t.evaluate_train = false;
  t.log_path = training::run_path(o.log, run);
  t.progress = !o.quiet;
  if (o.runs > 1) t.progress_label = "run " + std::to_string(run + 1) + "/" + std::to_string(o.runs);
  t.checkpoint_path = training::run_path(o.save, run);
  t.resume = o.resume;
  const float gnnlr = o.gnnlr;
  const float prelr = o.prelr;
  // Two Adam groups, as the reference: the encoder at --gnnlr, the predictor at --prelr.
  t.make_optimizer = [gnnlr, prelr](std::vector<Parameter*> params) {
    optim::ParamGroup enc{{}, gnnlr, 0.0f}, pre{{}, prelr, 0.0f};
    for (Parameter* p : params) (p->name.rfind("encoder.", 0) == 0 ? enc : pre).params.push_back(p);
    std::vector<optim::ParamGroup> groups;
    if (!pre.params.empty()) groups.push_back(pre);
    if (!enc.params.empty() && gnnlr > 0.0f) groups.push_back(enc);
    return std::make_unique<optim::Adam>(groups);
  };
  return t;
}

void print_predictions(const LinkAppOptions& o, training::LinkPredictionTask& task, Index n,
                       std::ostream& out) {
  Rng rng(o.seed);
  const auto sigmoid = [](float z) { return 1.0 / (1.0 + std::exp(-static_cast<double>(z))); };
  if (!o.predict_pairs.empty()) {
    std::vector<graph::NodeId> s, d;
    for (const auto& [a, b] : o.predict_pairs) {
      MOEGNN_CHECK_AS(InvalidArgument, "--predict-pairs", a >= 0 && a < n && b >= 0 && b < n,
                      "pair ", a, "-", b, " vs node ids in [0, ", n, ")");
      s.push_back(a);
      d.push_back(b);
    }
    const auto z = task.score({graph::NodeIds(s), graph::NodeIds(d)}, rng);
    for (std::size_t k = 0; k < z.size(); ++k)
      out << "predict " << s[k] << "-" << d[k] << " " << sigmoid(z[k]) << "\n";
  }
  if (o.predict_node >= 0) {
    MOEGNN_CHECK_AS(InvalidArgument, "--predict-node", o.predict_node < n, "node ",
                    o.predict_node, " vs an id in [0, ", n, ")");
    const auto v = static_cast<graph::NodeId>(o.predict_node);
    const auto nb = task.sets().train_graph.neighbors(v);
    std::vector<graph::NodeId> s, d;
    for (graph::NodeId u = 0; u < n; ++u)
      if (u != v && !std::binary_search(nb.begin(), nb.end(), u)) {
        s.push_back(v);
        d.push_back(u);
      }
    const auto z = task.score({graph::NodeIds(s), graph::NodeIds(d)}, rng);
    std::vector<std::size_t> order(z.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    const std::size_t top = std::min<std::size_t>(static_cast<std::size_t>(o.top_k), order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(top), order.end(),
                      [&](std::size_t a, std::size_t b) { return z[a] > z[b] || (z[a] == z[b] && a < b); });
    for (std::size_t k = 0; k < top; ++k)
      out << "top " << k + 1 << ": " << v << "-" << d[order[k]] << " " << sigmoid(z[order[k]])
          << "\n";
  }
}

}  // namespace

LinkExperiment run_link_experiment(const LinkAppOptions& o, std::ostream& out, std::ostream& log) {
  check_link_flags(o);
  if (o.threads > 0) set_num_threads(o.threads);
  const auto start = std::chrono::steady_clock::now();
  const Data d = load(o);
  LinkExperiment e;
  e.dataset = d.name;
  e.num_nodes = d.graph.num_nodes();
  e.num_edges = d.graph.num_edges();
  for (Index r = 0; r < o.runs; ++r) {
    const std::uint64_t seed = o.seed + static_cast<std::uint64_t>(r);
    models::LinkSets sets = d.published         ? d.sets
                            : o.split == "random" ? models::random_link_split(d.graph, 0.1, 0.2, seed)
                                                  : models::planetoid_link_split(d.graph, seed);
    training::FitResult fit;
    if (is_heuristic(o.model)) {
      fit = run_heuristic(o, sets);
    } else {
      Rng init(seed);
      auto model = build_model(o, d, init);
      e.num_parameters = model->num_parameters();
      if (!o.init.empty()) {  // warm start: the selected ("best.") or last model of a checkpoint
        const auto c = training::Checkpoint::load(training::run_path(o.init, r));
        training::ModelSnapshot::read(c, c.contains("best.predictor.lin.lin0.weight") ? "best."
                                                                                      : "model.",
                                      *model)
            .restore(*model);
      }
      training::LinkTaskOptions t{o.batch_size, o.test_batch_size, o.hits_k, o.maskinput,
                                    o.max_steps};
      auto task = std::make_unique<training::LinkPredictionTask>(*model, d.features, sets, t);
      training::LinkPredictionTask& task_ref = *task;
      training::Trainer trainer(*model, std::move(task), train_options(o, r, seed));
      fit = trainer.fit();
      Rng eval(seed);
      const auto z = task_ref.score_all({&sets.test_pos, &sets.test_neg}, eval);
      add_test_extras(z[0], z[1], fit);
      if (r + 1 == o.runs) print_predictions(o, task_ref, d.graph.num_nodes(), out);
    }
    if (!o.quiet) {
      char line[200];
      std::snprintf(line, sizeof line, "run %lld: best epoch %lld, val hits@%d %.4f, test %.4f, "
                    "test auc %.4f", static_cast<long long>(r),
                    static_cast<long long>(fit.best_epoch), o.hits_k, fit.best.val_metric,
                    fit.best.test_metric, fit.extras["test_auc"]);
      log << line << "\n" << std::flush;
    }
    e.runs.push_back(std::move(fit));
  }
  e.summary = training::summarize_runs(e.runs);
  e.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return e;
}

}  // namespace moegnn::apps
