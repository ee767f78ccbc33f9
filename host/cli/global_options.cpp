#include "cli/global_options.hpp"

#include <boost/program_options.hpp>
#include <sstream>
#include <stdexcept>

namespace po = boost::program_options;

namespace cardsync::cli {
namespace {

po::options_description global_description() {
  po::options_description desc("Options");
  desc.add_options()("help,h", "show this help (or a command's help after the command)")(
      "version", "print the version and exit")(
      "config,c", po::value<std::string>(),
      "config file (default: $CARDSYNC_CONFIG, ./cardsync.json, "
      "$XDG_CONFIG_HOME/cardsync/cardsync.json, /etc/cardsync/cardsync.json)")(
      "log-level", po::value<std::string>(), "trace, debug, info, warn or error")(
      "plugin-dir", po::value<std::vector<std::string>>()->composing(),
      "extra directory to load plugins from (repeatable)");
  return desc;
}

}  // namespace

GlobalOptions parse_global_options(int argc, const char* const* argv) {
  po::options_description desc = global_description();
  po::variables_map vm;
  std::vector<std::string> rest;
  try {
    // Options after the command that are not global belong to the command (`run --once`),
    // so they are collected, in order, with the positional words. No abbreviations: a
    // command's own --plugin must not be read as the global --plugin-dir.
    auto parsed =
        po::command_line_parser(argc, argv)
            .options(desc)
            .style(po::command_line_style::unix_style ^ po::command_line_style::allow_guessing)
            .allow_unregistered()
            .run();
    po::store(parsed, vm);
    po::notify(vm);
    rest = po::collect_unrecognized(parsed.options, po::include_positional);
  } catch (const po::error& e) {
    throw std::invalid_argument(e.what());
  }
  GlobalOptions out;
  out.help = vm.count("help") > 0;
  out.version = vm.count("version") > 0;
  if (vm.count("config")) out.config = vm["config"].as<std::string>();
  if (vm.count("log-level")) out.log_level = vm["log-level"].as<std::string>();
  if (vm.count("plugin-dir")) {
    for (const auto& d : vm["plugin-dir"].as<std::vector<std::string>>()) {
      out.plugin_dirs.emplace_back(d);
    }
  }
  if (!rest.empty()) {
    if (rest.front().starts_with("-")) {
      throw std::invalid_argument("unrecognised option '" + rest.front() + "'");
    }
    out.command = rest.front();
    out.args.assign(rest.begin() + 1, rest.end());
  }
  return out;
}

std::string global_help() {
  std::ostringstream out;
  out << "cardsync keeps a card shop's catalog and graded certs in step with upstream APIs.\n\n"
         "Usage: cardsync [options] <command> [args]\n\n"
         "Commands:\n"
         "  config check [--connect]\n"
         "                      validate the config and the plugins it names, then exit\n"
         "                      (--connect: also open the storage and make one request per\n"
         "                      provider)\n"
         "  config show         print the effective config (defaults filled, secrets hidden)\n"
         "  config docs         print the reference of every option as Markdown\n"
         "  plugins list [--json]\n"
         "                      list the plugins found in the plugin directories\n"
         "  run [--once]        enqueue the configured syncs and work the queue (--once: exit\n"
         "                      with a summary when it is drained)\n"
         "  worker              work the queue without enqueueing anything\n"
         "  serve               work the queue, repeat each sync at its schedule and serve the\n"
         "                      admin API and monitor page (admin.listen, default\n"
         "                      127.0.0.1:8080) until SIGINT/SIGTERM\n"
         "  queue stats [--json]\n"
         "                      count the jobs by type and state\n"
         "  queue failed [--csv] [--type T]\n"
         "                      list failed jobs with their last error (--csv: every column,\n"
         "                      RFC 4180)\n"
         "  queue retry <id>|--all-failed [--type T]\n"
         "                      requeue one failed job, or every failed job (of type T)\n"
         "  enqueue <type> <key> [--payload JSON]\n"
         "                      add a job; a duplicate of a queued or processing job is not\n"
         "                      added and its id is printed\n"
         "  lookup <provider> <key> [--kind K] [--json]\n"
         "                      one item by key (a graded cert, a card, ...): from the\n"
         "                      cache, fetched upstream when missing (exit 1 when only queued,\n"
         "                      2 for a key the provider refuses)\n"
         "  <provider> lookup <key> [--kind K] [--json]\n"
         "                      the same as: lookup <provider> <key>\n"
         "  token create --role viewer|operator [--ttl 8h] [--subject NAME]\n"
         "                      print a bearer token for the admin API and monitor page,\n"
         "                      signed with admin.auth.hs256_secret (RS256: also\n"
         "                      --private-key FILE)\n"
         "  manifest check FILE...\n"
         "                      validate manifests (a document-driven provider plugin's\n"
         "                      sources): every problem with file, line and JSON pointer\n"
         "  manifest try FILE --job TYPE:KEY [--pages N]\n"
         "                      run one job of the provider section reading FILE for its\n"
         "                      first N pages (default 1) against its upstream and print\n"
         "                      requests, records, rejects, follow-up jobs and cursor;\n"
         "                      nothing is stored\n\n"
      << global_description()
      << "\n`cardsync <command> --help` describes one command and its options.\n"
         "Exit codes: 0 ok, 1 work failed, 2 usage, config or plugin error (nothing done),\n"
         "130/143 a second SIGINT/SIGTERM ended the orderly stop at once.\n";
  return out.str();
}

}  // namespace cardsync::cli
