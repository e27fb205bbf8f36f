// SPDX-License-Identifier: Apache-2.0
// moegnn-train-ooc: out-of-core training after DiskGNN (docs/out-of-core.md). `prepare` samples an
// epoch of mini-batches offline and packs their feature rows; `train` trains SAGE or GCN on the
// pack through the pipelined O_DIRECT reader; `info` prints the pack's footprint and hit rate.
// With no command it generates a small graph in ./ooc-demo, prepares it and trains on it.
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>

#include "apps/build_info.h"
#include "apps/cli/validators.h"
#include "apps/train_ooc/run.h"
#include "core/parallel.h"

namespace app = moegnn::apps::ooc_app;

namespace {

void data_flags(CLI::App* c, app::DataArgs& d) {
  c->add_option("--data", d.data, "generated directory (moegnn-data generate) or node dataset cache")
      ->capture_default_str();
  c->add_option("--model", d.model, "sage or gcn")
      ->check(CLI::IsMember({"sage", "gcn"}))
      ->capture_default_str();
  c->add_option("--model-config", d.model_config, "model options, e.g. hidden=128,dropout=0.5");
  c->add_option("--seed", d.seed, "sampling, batch order, initialisation")->capture_default_str();
}

const std::map<std::string, moegnn::ooc::IoEngineKind> kEngines{
    {"auto", moegnn::ooc::IoEngineKind::Auto},
    {"uring", moegnn::ooc::IoEngineKind::Uring},
    {"pread", moegnn::ooc::IoEngineKind::Pread}};

void write_json(const std::string& path, const nlohmann::json& j) {
  if (path.empty()) return;
  std::ofstream(path) << j.dump(2) << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"moegnn-train-ooc: out-of-core GNN training (offline sampling, packed features)"};
  cli.set_version_flag("--version", moegnn::apps::version_text("moegnn-train-ooc"));
  std::string out_json;
  int threads = 0;
  cli.add_option("--out", out_json, "write the result as JSON to this file");
  cli.add_option("--threads", threads, "compute threads (0: all cores)")
      ->check(moegnn::apps::non_negative());

  app::PrepareArgs prep;
  CLI::App* p = cli.add_subcommand("prepare", "sample a pool of batches offline and pack it");
  data_flags(p, prep.in);
  p->add_option("--pack", prep.pack, "pack directory")->capture_default_str();
  p->add_option("--fanouts", prep.fanouts, "neighbours per layer, input layer first")
      ->delimiter(',')
      ->capture_default_str();
  p->add_option("--batch-size", prep.batch_size)->check(moegnn::apps::at_least_one())->capture_default_str();
  p->add_option("--seed-fraction", prep.seed_fraction, "share of the training nodes used as seeds")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  p->add_option("--max-batches", prep.max_batches, "at most this many batches (0: all)")
      ->check(moegnn::apps::non_negative());
  p->add_option("--cache-fraction", prep.cache_fraction, "hot-row cache, share of the table")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  p->add_option("--cache-mb", prep.cache_mb, "hot-row cache in MiB (overrides --cache-fraction)");
  p->add_option("--memory-mb", prep.memory_mb, "memory bound of the packing pass (MiB)")
      ->check(moegnn::apps::positive())
      ->capture_default_str();
  p->add_flag("--naive", prep.naive, "naive per-batch packing (random reads) instead of batched");
  p->add_option("--engine", prep.engine, "auto, uring or pread")
      ->transform(moegnn::apps::one_of(kEngines));

  app::TrainArgs tr;
  CLI::App* t = cli.add_subcommand("train", "train on a pack");
  data_flags(t, tr.in);
  t->add_option("--pack", tr.pack, "pack directory")->capture_default_str();
  t->add_option("--features", tr.mode,
                "pack (pipelined O_DIRECT), memory, mmap, or pages (one O_DIRECT page read per row)")
      ->transform(moegnn::apps::one_of(
          std::map<std::string, app::FeatureMode>{{"pack", app::FeatureMode::Pack},
                                                  {"memory", app::FeatureMode::Memory},
                                                  {"mmap", app::FeatureMode::Mmap},
                                                  {"pages", app::FeatureMode::Pages}}));
  t->add_option("--epochs", tr.epochs)->check(moegnn::apps::at_least_one())->capture_default_str();
  t->add_option("--lr", tr.lr)->check(moegnn::apps::positive())->capture_default_str();
  t->add_option("--weight-decay", tr.weight_decay)->check(moegnn::apps::non_negative());
  t->add_flag("!--unpipelined", tr.pipelined, "read and assemble on the training thread");
  t->add_option("--queue-depth", tr.queue_depth)->check(moegnn::apps::at_least_one())->capture_default_str();
  t->add_option("--batches-per-epoch", tr.batches_per_epoch, "0: the whole pool")
      ->check(moegnn::apps::non_negative());
  t->add_option("--eval-nodes", tr.eval_nodes, "validation / test nodes scored (0: all)")
      ->check(moegnn::apps::non_negative())
      ->capture_default_str();
  t->add_flag("--online", tr.online, "resample every epoch in memory (accuracy reference)");
  t->add_option("--resample-every", tr.resample_every,
                "a fresh offline pool (pack <pack>-r<round>) every k epochs; 0: reuse one pool")
      ->check(moegnn::apps::non_negative());
  t->add_flag("!--no-verify", tr.verify_crc, "skip the per-batch CRC-32 check");
  t->add_option("--engine", tr.engine, "auto, uring or pread")
      ->transform(moegnn::apps::one_of(kEngines));
  t->add_option("--checkpoint", tr.checkpoint, "checkpoint file (written every epoch)");
  t->add_flag("--resume", tr.resume, "continue from --checkpoint when it exists");
  t->add_option("--log", tr.log, "JSON-lines log, one line per epoch");
  t->add_flag("!--no-progress", tr.progress, "no progress bar");
  t->add_flag("--drop-page-cache", tr.drop_page_cache,
              "evict the feature file from the page cache before each epoch (mmap baseline)");

  std::string info_pack = "ooc-demo/pack";
  CLI::App* i = cli.add_subcommand("info", "print a pack's footprint and hit rate");
  i->add_option("--pack", info_pack, "pack directory")->capture_default_str();
  cli.require_subcommand(0, 1);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  try {
    if (threads > 0) moegnn::set_num_threads(threads);
    nlohmann::json result;
    if (p->parsed()) {
      result = app::prepare(prep, std::cout);
    } else if (t->parsed()) {
      result = app::train(tr, std::cout);
    } else if (i->parsed()) {
      result = app::info(info_pack, std::cout);
    } else {  // no command: the demo
      app::PrepareArgs demo;
      demo.fanouts = {10, 5};
      demo.batch_size = 512;
      demo.cache_fraction = 0.2;
      app::prepare(demo, std::cout);
      result = app::train(app::TrainArgs{}, std::cout);
    }
    write_json(out_json, result);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
