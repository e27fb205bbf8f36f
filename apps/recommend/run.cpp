// SPDX-License-Identifier: Apache-2.0
// Data loading, training runs and the uses of a saved model for moegnn-recommend.
#include "apps/recommend/run.h"

#include <chrono>
#include <cstdlib>

#include "core/error.h"
#include "datasets/movielens.h"
#include "datasets/ratings_generator.h"
#include "datasets/ratings_table.h"
#include "models/rec/registry.h"
#include "models/training/checkpoint.h"
#include "models/training/model_state.h"
#include "models/training/ranking_task.h"
#include "models/training/trainer.h"

namespace moegnn::apps {
namespace {

std::filesystem::path data_dir(const RecommendOptions& o) {
  if (!o.data_dir.empty()) return o.data_dir;
  const char* env = std::getenv("MOEGNN_DATA_DIR");
  return env != nullptr ? env : "data";
}

datasets::RatingsDataset load_ratings(const RecommendOptions& o) {
  if (o.dataset == "generated") {
    datasets::RatingsGeneratorOptions g;
    g.num_users = o.users;
    g.num_items = o.items;
    g.num_ratings = o.ratings;
    g.min_ratings_per_user = std::min<Index>(5, o.ratings / o.users);
    datasets::RatingsDataset d = datasets::generate_ratings(g);
    d.name = "generated";
    return d;
  }
  if (o.dataset == "ml-100k") return datasets::load_movielens_100k(data_dir(o) / "ml-100k");
  datasets::RatingsTableOptions t;
  if (o.dataset == "facebook-books") {
    t.name = "facebook-books";
    return datasets::load_ratings_table(data_dir(o) / "facebook-books" / "dataset_facebook.tsv", t);
  }
  return datasets::load_ratings_table(o.dataset, t);
}

// "run 2" files: path.run2.ext when there are several runs.
std::filesystem::path per_run(const std::string& path, Index run, Index runs) {
  if (path.empty() || runs == 1) return path;
  std::filesystem::path p(path);
  return p.parent_path() /
         (p.stem().string() + ".run" + std::to_string(run) + p.extension().string());
}

std::unique_ptr<rec::RecModel> build_model(const RecommendOptions& o, const RecData& d) {
  rec::RecModelOptions m;
  m.embedding_dim = o.dim;
  m.num_layers = o.layers;
  m.readout = o.readout == "mean" ? rec::Readout::Mean : rec::Readout::Concat;
  m.init_std = static_cast<float>(o.init_std);
  m.seed = static_cast<std::uint64_t>(o.seed);
  return rec::make_rec_model(o.model, d.data.num_users, d.data.num_items, m, d.graph);
}

void save_model_file(const std::filesystem::path& path, const RecommendOptions& o,
                     rec::RecModel& model) {
  training::Checkpoint c;
  c.add("embedding", model.embedding().value);
  // Every parameter (Sheaf4Rec's layers), under "model.<name>"; E⁰ is also "embedding" above.
  training::ModelSnapshot::capture(model).write(c, "model.", model);
  c.set_metadata("moegnn.rec.model", model.name());
  c.set_metadata("moegnn.rec.options", data_model_json(o).dump());
  c.save(path);
}

}  // namespace

RecData load_data(const RecommendOptions& o, std::uint64_t split_seed) {
  RecData d;
  d.ratings = load_ratings(o);
  float max_rating = 0.0f;
  for (Index r = 0; r < d.ratings.num_ratings(); ++r)
    max_rating = std::max(max_rating, d.ratings.rating.data()[r]);
  d.min_rating =
      o.min_rating >= 0.0 ? static_cast<float>(o.min_rating) : (max_rating > 1.0f ? 3.0f : 0.0f);
  datasets::RatingsSplit split;
  if (o.split.size() == 2 && o.split[0] == 'u') {  // u1..u5, ua, ub: drawn before the threshold
    MOEGNN_CHECK_AS(InvalidArgument, "moegnn-recommend", o.dataset == "ml-100k", "--split ",
                    o.split, " with --dataset ", o.dataset, " vs --dataset ml-100k");
    split = datasets::movielens_100k_split(d.ratings, data_dir(o) / "ml-100k", o.split);
    d.data = datasets::make_interactions(d.ratings, split, d.min_rating);
  } else {
    const datasets::RatingsDataset kept = datasets::filter_ratings(d.ratings, d.min_rating);
    if (o.split == "random")
      split = datasets::random_ratings_split(kept, o.val_fraction, o.test_fraction, split_seed);
    else if (o.split == "stratified")
      split = datasets::stratified_ratings_split(kept, o.train_fraction, o.train_val_fraction,
                                                 split_seed);
    else
      split = datasets::leave_last_out_split(kept);
    d.data = datasets::make_interactions(kept, split);
  }
  d.data.name = d.ratings.name;
  MOEGNN_CHECK_AS(InvalidArgument, "moegnn-recommend", d.data.test.num_edges() > 0,
                  "the test split of ", d.ratings.name, " is empty vs at least one interaction; ",
                  "raise --test-fraction or lower --min-rating");
  d.graph = datasets::bipartite_graph(d.data);
  return d;
}

RecExperiment train_runs(const RecommendOptions& o, std::ostream& log) {
  RecExperiment e;
  for (Index r = 1; r <= o.runs; ++r) {
    RecommendOptions ro = o;
    ro.seed = o.seed + r - 1;
    ro.split_seed = o.split_seed >= 0 ? o.split_seed : ro.seed;
    const auto start = std::chrono::steady_clock::now();
    const RecData d = load_data(ro, static_cast<std::uint64_t>(ro.split_seed));
    if (r == 1) e.data_summary = datasets::summary(d.data);
    MOEGNN_CHECK_AS(InvalidArgument, "moegnn-recommend", o.ks.back() <= d.data.num_items,
                    "--ks: K ", o.ks.back(), " vs [1, ", d.data.num_items,
                    "] (the items in training)");
    auto model = build_model(ro, d);
    const bool has_val = d.data.val.num_edges() > 0;
    training::RankingTaskOptions t;
    t.batch_size = o.batch_size;
    t.max_steps = o.max_steps;
    t.l2 = static_cast<float>(o.l2);
    t.ks = o.ks;
    t.metric_k = o.metric_k;
    t.eval_every = o.eval_every;
    t.epochs = o.epochs;
    auto task =
        std::make_unique<training::RankingTask>(*model, d.data.train, d.data.val, d.data.test, t);
    training::RankingTask& task_ref = *task;
    training::TrainOptions opt;
    opt.epochs = o.epochs;
    opt.lr = static_cast<float>(o.lr);
    // BPR's own L2 term (--l2, on the batch's layer-0 rows) is the regulariser, as in LightGCN
    // and Sheaf4Rec; no Adam weight decay (TrainOptions' default is the node classifiers' 5e-4).
    opt.weight_decay = 0.0f;
    e.weight_decay = opt.weight_decay;
    opt.seed = static_cast<std::uint64_t>(ro.seed);
    opt.select_on = training::Monitor::ValMetric;
    opt.restore_best = has_val;
    opt.early_stopping = {o.patience * o.eval_every, training::Monitor::ValMetric, 0.0};
    opt.evaluate_train = false;
    opt.progress = !o.quiet;
    opt.progress_label = "run " + std::to_string(r) + "/" + std::to_string(o.runs);
    opt.checkpoint_path = per_run(o.checkpoint, r, o.runs);
    opt.resume = o.resume;
    opt.override_hyperparameters = o.override_hyperparameters;
    opt.log_path = per_run(o.log, r, o.runs);
    training::Trainer trainer(*model, std::move(task), opt);
    RecRun run;
    run.run = r;
    run.seed = static_cast<std::uint64_t>(ro.seed);
    run.fit = trainer.fit();
    run.has_val = has_val;
    if (has_val) run.val = task_ref.score(d.data.val);
    run.test = task_ref.score(d.data.test);
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!o.save.empty()) save_model_file(per_run(o.save, r, o.runs), ro, *model);
    if (!o.quiet)
      log << "run " << r << "/" << o.runs << " (seed " << ro.seed << "): best epoch "
          << run.fit.best_epoch << ", test ndcg@" << o.metric_k << " "
          << run.test.at("ndcg", o.metric_k) << ", " << run.seconds << " s\n";
    e.runs.push_back(std::move(run));
  }
  return e;
}

LoadedModel load_model_file(const std::filesystem::path& path, const RecommendOptions& base) {
  const training::Checkpoint c = training::Checkpoint::load(path);
  MOEGNN_CHECK_AS(InvalidArgument, "moegnn-recommend",
                  c.has_metadata("moegnn.rec.options") && c.contains("embedding"), "'",
                  path.string(), "' has no recommender record vs a file written by --save");
  LoadedModel m;
  m.options = base;
  read_data_model_json(nlohmann::json::parse(c.metadata("moegnn.rec.options")), m.options);
  if (!base.data_dir.empty()) m.options.data_dir = base.data_dir;
  m.data = load_data(m.options, static_cast<std::uint64_t>(m.options.split_seed));
  m.model = build_model(m.options, m.data);
  const Tensor e = c.tensor("embedding");
  Tensor& target = m.model->embedding().value;
  MOEGNN_CHECK_AS(InvalidArgument, "moegnn-recommend",
                  e.rows() == target.rows() && e.cols() == target.cols(), "'", path.string(),
                  "' holds a ", e.shape_string(), " embedding vs ", target.shape_string(),
                  " for the rebuilt data; was the data file changed?");
  target.host() = e.host();
  // Files written before the layers were saved hold "embedding" only (BPR-MF, LightGCN: enough).
  if (c.contains("model.embedding"))
    training::ModelSnapshot::read(c, "model.", *m.model).restore(*m.model);
  else
    MOEGNN_CHECK_AS(InvalidArgument, "moegnn-recommend", m.model->parameters().size() == 1, "'",
                    path.string(), "' holds E⁰ only vs the ", m.model->parameters().size(),
                    " parameters of ", m.model->name(), "; train it again with --save");
  return m;
}

RecRun evaluate_model(LoadedModel& m, const std::vector<Index>& ks) {
  const auto [users, items] =
      training::split_embeddings(m.model->embeddings(), m.data.data.num_users);
  RecRun run;
  run.run = 1;
  run.seed = static_cast<std::uint64_t>(m.options.seed);
  run.has_val = m.data.data.val.num_edges() > 0;
  if (run.has_val)
    run.val = rec::evaluate_ranking(users, items, m.data.data.train, m.data.data.val, ks);
  run.test = rec::evaluate_ranking(users, items, m.data.data.train, m.data.data.test, ks);
  return run;
}

void print_recommendations(LoadedModel& m, std::int64_t user_id, Index k, std::ostream& out) {
  const datasets::Interactions& x = m.data.data;
  Index user = -1;
  for (Index u = 0; u < x.num_users && user < 0; ++u)
    if (m.data.ratings
            .user_ids[static_cast<std::size_t>(x.user_index[static_cast<std::size_t>(u)])] ==
        user_id)
      user = u;
  MOEGNN_CHECK_AS(InvalidArgument, "recommend", user >= 0, "user ", user_id,
                  " is not in the training data vs one of its ", x.num_users,
                  " users (ids as in the ratings file)");
  MOEGNN_CHECK_AS(InvalidArgument, "recommend", k >= 1 && k <= x.num_items, "--k ", k, " vs [1, ",
                  x.num_items, "] (the number of items)");
  const auto [users, items] = training::split_embeddings(m.model->embeddings(), x.num_users);
  const std::vector<std::int32_t> top = rec::top_k_items(users, items, x.train, user, k);
  out << "top " << k << " for user " << user_id << " ("
      << x.train.row_ptr()[user + 1] - x.train.row_ptr()[user] << " training items masked):\n";
  for (std::size_t r = 0; r < top.size(); ++r) {
    const auto item = static_cast<std::size_t>(x.item_index[static_cast<std::size_t>(top[r])]);
    out << "  " << r + 1 << ". item " << m.data.ratings.item_ids[item];
    if (item < m.data.ratings.item_titles.size()) out << "  " << m.data.ratings.item_titles[item];
    out << "\n";
  }
}

void export_embeddings(LoadedModel& m, const std::filesystem::path& path) {
  const datasets::Interactions& x = m.data.data;
  const auto [users, items] = training::split_embeddings(m.model->embeddings(), x.num_users);
  const auto [users0, items0] = training::split_embeddings(m.model->embedding().value, x.num_users);
  training::Checkpoint c;
  c.add("user_embedding", users);
  c.add("item_embedding", items);
  c.add("user_embedding_layer0", users0);
  c.add("item_embedding_layer0", items0);
  std::vector<std::int64_t> uid, iid;
  for (const std::int32_t u : x.user_index)
    uid.push_back(m.data.ratings.user_ids[static_cast<std::size_t>(u)]);
  for (const std::int32_t i : x.item_index)
    iid.push_back(m.data.ratings.item_ids[static_cast<std::size_t>(i)]);
  c.add_int64("user_id", uid, {static_cast<Index>(uid.size())});
  c.add_int64("item_id", iid, {static_cast<Index>(iid.size())});
  c.set_metadata("moegnn.rec.model", m.model->name());
  c.set_metadata("moegnn.rec.options", data_model_json(m.options).dump());
  c.save(path);
}

}  // namespace moegnn::apps
