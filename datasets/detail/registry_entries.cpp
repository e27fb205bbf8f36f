// SPDX-License-Identifier: Apache-2.0
// The registered datasets and their official sources. URLs are pinned to the commits the
// manifests name (raw.githubusercontent.com), so the digests in digests.cpp stay valid; OGB and
// MovieLens come as the official ZIP releases.
#include <cctype>
#include <string>

#include "datasets/detail/registry_table.h"

namespace moegnn::datasets::detail {
namespace {

const std::string kPlanetoid = "https://raw.githubusercontent.com/kimiyoung/planetoid/"
                               "af6abf468a772cc055bec88c52e4d6f51b7c37e3/data/";
const std::string kGeomGcn = "https://raw.githubusercontent.com/graphdml-uiuc-jlu/geom-gcn/"
                             "f1fc0d14b3b019c562737240d06ec83b07d16a8f/";
// PyG's WebKB loader took Cornell from this earlier commit (see cornell/MANIFEST.md).
const std::string kGeomGcnCornell = "https://raw.githubusercontent.com/graphdml-uiuc-jlu/geom-gcn/"
                                    "1c4c04f93fa6ada91976cda8d7577eec0e3e5cce/";
const std::string kHeterophilous =
    "https://github.com/yandex-research/heterophilous-graphs/raw/main/data/";
const std::string kGnnBenchmark = "https://raw.githubusercontent.com/shchur/gnn-benchmark/"
                                  "1e72912a0810cdf27ae54fd589a3b43358a2b161/data/npz/";
const std::string kOgb = "http://snap.stanford.edu/ogb/data/";
const std::string kGroupLens = "https://files.grouplens.org/datasets/movielens/";

void add_split_files(RegistryEntry& e, const std::string& folder, const std::string& name) {
  for (int k = 0; k < 10; ++k) {
    const std::string file = name + "_split_0.6_0.2_" + std::to_string(k) + ".npz";
    e.files.push_back({folder + "/" + file, kGeomGcn + "splits/" + file});
  }
}

RegistryEntry planetoid(const std::string& name, const std::string& description) {
  RegistryEntry e{.name = name,
                  .family = Family::Planetoid,
                  .folder = name,
                  .description = description,
                  .loader_arg = name};
  for (const char* part : {"x", "y", "tx", "ty", "allx", "ally", "graph", "test.index"}) {
    const std::string file = "ind." + name + "." + part;
    e.files.push_back({file, kPlanetoid + file});
  }
  add_split_files(e, "geom-gcn-splits", name);
  return e;
}

RegistryEntry geom_gcn(const std::string& name, const std::string& description) {
  RegistryEntry e{.name = name,
                  .family = Family::GeomGcn,
                  .folder = name,
                  .description = description,
                  .loader_arg = name};
  const std::string& base = name == "cornell" ? kGeomGcnCornell : kGeomGcn;
  for (const char* file : {"out1_graph_edges.txt", "out1_node_feature_label.txt"})
    e.files.push_back({file, base + "new_data/" + name + "/" + file});
  add_split_files(e, "splits", name);
  return e;
}

RegistryEntry npz(const std::string& name, const std::string& file,
                  const std::string& description) {
  return {.name = name,
          .family = Family::GnnBenchmark,
          .folder = "gnn-benchmark-npz",
          .description = description,
          .files = {{file, kGnnBenchmark + file}},
          .loader_arg = file};
}

RegistryEntry ogb(const std::string& name, Family family, const std::string& split,
                  const std::vector<std::string>& parts, const std::string& description) {
  const std::string short_name = name.substr(5);  // "ogbn-arxiv" -> "arxiv"
  const bool node = family == Family::OgbNode;
  RegistryEntry e{.name = name,
                  .family = family,
                  .folder = name,
                  .description = description,
                  .archive_url =
                      kOgb + (node ? "nodeproppred/" : "linkproppred/") + short_name + ".zip",
                  .archive_prefix = short_name + "/",
                  .loader_arg = split};
  for (const std::string& part : parts) e.files.push_back({part, ""});
  for (const char* s : {"train", "valid", "test"}) {
    if (!node && name == "ogbl-ddi" && s[0] == 't' && s[1] == 'r') continue;  // raw/edge.csv.gz
    e.files.push_back({"split/" + split + "/" + s + (node ? ".csv.gz" : ".pt"), ""});
  }
  return e;
}

RegistryEntry movielens(const std::string& name, Family family,
                        const std::vector<std::string>& files, const std::string& description) {
  RegistryEntry e{.name = name,
                  .family = family,
                  .folder = name,
                  .description = description,
                  .archive_url = kGroupLens + name + ".zip",
                  .archive_prefix = name + "/"};
  for (const std::string& f : files) e.files.push_back({f, ""});
  return e;
}

// LINKX (CUAI/Non-Homophily-Large-Scale): no official URL with a known SHA-256 for these files, so
// they are placed by hand under <data dir>/linkx, laid out as the reference code's data/ folder.
RegistryEntry linkx(const std::string& name, const std::string& linkx_name,
                    const std::vector<std::string>& files, const std::string& description) {
  RegistryEntry e{.name = name,
                  .family = Family::Linkx,
                  .folder = "linkx",
                  .description = description,
                  .loader_arg = linkx_name,
                  .manual_source =
                      "LINKX's data/ folder (github.com/CUAI/Non-Homophily-Large-Scale: "
                      "facebook100/*.mat and splits/ in the repository, the other files from "
                      "the links in its data_utils.py)"};
  for (const std::string& f : files) e.files.push_back({f, ""});
  e.files.push_back({"splits/" + linkx_name + "-splits.npy", ""});
  return e;
}

// LINKX's facebook100 schools other than Penn94 (whose fixed splits LINKX ships): the .mat of
// <data dir>/facebook100/, gender labels, 5 random 50/25/25 splits of the labelled nodes (as
// LINKX's training script draws them; split r from seed r). Placed by hand, as the other LINKX
// files.
RegistryEntry fb100(const std::string& school, const std::string& description) {
  std::string name = "fb100-";
  for (const char c : school)
    name += c == ' ' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return {.name = name,
          .family = Family::Fb100,
          .folder = "facebook100",
          .description = description,
          .files = {{school + ".mat", ""}},
          .loader_arg = school + ".mat",
          .manual_source = "LINKX's data/facebook100/ folder "
                           "(github.com/CUAI/Non-Homophily-Large-Scale)"};
}

// LINKX's twitch-e: one MUSAE language under <data dir>/twitch/<L>/ with its split file.
RegistryEntry twitch_e(const std::string& language, const std::string& description) {
  std::string name = "twitch-";
  for (const char c : language) name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  RegistryEntry e{.name = name,
                  .family = Family::TwitchE,
                  .folder = "twitch",
                  .description = description,
                  .loader_arg = language,
                  .manual_source = "LINKX's data/twitch/<L>/ and data/splits/ "
                                   "(github.com/CUAI/Non-Homophily-Large-Scale)"};
  for (const char* part : {"_edges.csv", "_target.csv", "_features.json"})
    e.files.push_back({language + "/musae_" + language + part, ""});
  e.files.push_back({language + "/twitch-e-" + language + "-splits.npy", ""});
  return e;
}

// Platonov et al.'s heterophilous benchmarks: one .npz each, from the authors' repository (the URL
// PyG's HeterophilousGraphDataset downloads); no digest is recorded, so a download needs
// --allow-unverified.
RegistryEntry heterophilous(const std::string& name, const std::string& description) {
  std::string file = name;
  for (char& c : file)
    if (c == '-') c = '_';
  file += ".npz";
  return {.name = name,
          .family = Family::Heterophilous,
          .folder = "heterophilous",
          .description = description,
          .files = {{file, kHeterophilous + file}},
          .loader_arg = file};
}

std::vector<RegistryEntry> build() {
  const std::vector<std::string> node_raw = {"raw/edge.csv.gz", "raw/num-node-list.csv.gz",
                                             "raw/node-feat.csv.gz", "raw/node-label.csv.gz"};
  return {
      planetoid("cora", "Cora citation graph (Planetoid), public + 10 Geom-GCN splits"),
      planetoid("citeseer", "CiteSeer citation graph (Planetoid), public + 10 Geom-GCN splits"),
      planetoid("pubmed", "PubMed citation graph (Planetoid), public + 10 Geom-GCN splits"),
      geom_gcn("texas", "WebKB Texas (Geom-GCN), 10 splits"),
      geom_gcn("wisconsin", "WebKB Wisconsin (Geom-GCN), 10 splits"),
      geom_gcn("cornell", "WebKB Cornell (Geom-GCN, PyG's raw files), 10 splits"),
      geom_gcn("chameleon", "Wikipedia Chameleon (Geom-GCN), 10 splits"),
      geom_gcn("squirrel", "Wikipedia Squirrel (Geom-GCN), 10 splits"),
      geom_gcn("film", "Actor co-occurrence graph (Geom-GCN 'film'), 10 splits"),
      npz("cora-npz", "cora.npz", "Cora, LINQS release (gnn-benchmark .npz)"),
      npz("citeseer-npz", "citeseer.npz", "CiteSeer, LINQS release (gnn-benchmark .npz)"),
      npz("amazon-computers", "amazon_electronics_computers.npz",
          "Amazon Computers co-purchase graph"),
      npz("amazon-photo", "amazon_electronics_photo.npz", "Amazon Photo co-purchase graph"),
      npz("coauthor-cs", "ms_academic_cs.npz", "Coauthor CS co-authorship graph"),
      npz("coauthor-physics", "ms_academic_phy.npz", "Coauthor Physics co-authorship graph"),
      ogb("ogbn-arxiv", Family::OgbNode, "time", node_raw,
          "OGB arXiv citation graph (node classes)"),
      ogb("ogbn-products", Family::OgbNode, "sales_ranking", node_raw, "OGB Amazon products graph"),
      ogb("ogbl-ddi", Family::OgbLink, "target", {"raw/edge.csv.gz", "raw/num-node-list.csv.gz"},
          "OGB drug-drug interactions (link prediction)"),
      ogb("ogbl-collab", Family::OgbLink, "time",
          {"raw/num-node-list.csv.gz", "raw/node-feat.csv.gz"},
          "OGB author collaborations (link prediction)"),
      ogb("ogbl-ppa", Family::OgbLink, "throughput",
          {"raw/num-node-list.csv.gz", "raw/node-feat.csv.gz"},
          "OGB protein associations (link prediction)"),
      ogb("ogbl-citation2", Family::OgbLink, "time",
          {"raw/num-node-list.csv.gz", "raw/node-feat.csv.gz"},
          "OGB citation graph (link prediction, 1000 negatives per positive)"),
      movielens("ml-100k", Family::MovieLens100k,
                {"u.data", "u.item", "u.user", "u1.base", "u1.test", "u2.base", "u2.test",
                 "u3.base", "u3.test", "u4.base", "u4.test", "u5.base", "u5.test", "ua.base",
                 "ua.test", "ub.base", "ub.test"},
                "MovieLens 100K ratings (GroupLens)"),
      movielens("ml-1m", Family::MovieLens1m, {"ratings.dat", "movies.dat", "users.dat"},
                "MovieLens 1M ratings (GroupLens)"),
      linkx("penn94", "fb100-Penn94", {"facebook100/Penn94.mat"},
            "LINKX Penn94 (facebook100), gender labels, 5 fixed splits; manual download"),
      linkx("twitch-gamer", "twitch-gamer", {},
            "LINKX twitch-gamer (SNAP Twitch Gamers), mature labels, 5 fixed splits; manual "
            "download (twitch-gamer_*.csv or large_twitch_*.csv)"),
      linkx("pokec", "pokec", {"pokec.mat"},
            "LINKX pokec (pokec.mat), gender labels, 5 fixed splits; manual download"),
      linkx("genius", "genius", {"genius.mat"},
            "LINKX genius (genius.mat), 5 fixed splits; manual download"),
      fb100("Cornell5", "facebook100 Cornell5 (LINKX), gender labels, 5 random splits; manual"),
      fb100("Johns Hopkins55",
            "facebook100 Johns Hopkins55 (LINKX), gender labels, 5 random splits; manual"),
      fb100("Amherst41", "facebook100 Amherst41 (LINKX), gender labels, 5 random splits; manual"),
      fb100("Reed98", "facebook100 Reed98 (LINKX), gender labels, 5 random splits; manual"),
      twitch_e("DE", "Twitch DE (MUSAE; LINKX twitch-e), mature labels, 5 fixed splits; manual"),
      twitch_e("ENGB", "Twitch ENGB (MUSAE; LINKX twitch-e), 5 fixed splits; manual"),
      twitch_e("ES", "Twitch ES (MUSAE; LINKX twitch-e), 5 fixed splits; manual"),
      twitch_e("FR", "Twitch FR (MUSAE; LINKX twitch-e), 5 fixed splits; manual"),
      twitch_e("PT", "Twitch PT (MUSAE; LINKX twitch-e), 5 fixed splits; manual"),
      twitch_e("RU", "Twitch RU (MUSAE; LINKX twitch-e), 5 fixed splits; manual"),
      heterophilous("roman-empire", "Roman-empire (Platonov et al. 2023), 18 classes, 10 splits"),
      heterophilous("amazon-ratings",
                    "Amazon-ratings (Platonov et al. 2023), 5 classes, 10 splits"),
      heterophilous("minesweeper", "Minesweeper (Platonov et al. 2023), binary, ROC-AUC, 10 splits"),
      heterophilous("tolokers", "Tolokers (Platonov et al. 2023), binary, ROC-AUC, 10 splits"),
      heterophilous("questions", "Questions (Platonov et al. 2023), binary, ROC-AUC, 10 splits"),
      {.name = "csbm",
       .family = Family::Csbm,
       .description = "generated contextual SBM graph (no files)"},
  };
}

}  // namespace

const std::vector<RegistryEntry>& registry_entries() {
  static const std::vector<RegistryEntry> entries = build();
  return entries;
}

}  // namespace moegnn::datasets::detail
