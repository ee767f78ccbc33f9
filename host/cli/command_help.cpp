#include "cli/command_help.hpp"

#include <array>
#include <sstream>

namespace cardsync::cli {
namespace {

struct Help {
  std::string_view command;
  std::string_view usage;    // one or more lines, each without "cardsync [options] "
  std::string_view summary;  // one line
  std::string_view options;  // preformatted "  --flag   text" lines; empty: none
};

// Kept beside the commands' own parsers: a flag added there belongs here too (the cli tests
// run every command's --help).
constexpr std::array kHelp{
    Help{"config", "config check [--connect]\nconfig show\nconfig docs",
         "Validate the config and the plugins it names (check), print the effective config "
         "with secrets hidden (show), or the reference of every option as Markdown (docs).",
         "  --connect             (check) also open the storage and report its migration\n"
         "                        state, and make one cheap request per provider through the\n"
         "                        pipeline; exit 1 when any fails\n"},
    Help{"plugins", "plugins list [--json]",
         "List the plugins found in the plugin directories, with the lookups providers offer.",
         "  --json                one JSON object: {\"plugins\": [{name, kind, version, abi,\n"
         "                        path, lookups}], \"problems\": [...]}\n"},
    Help{"run", "run [--once]",
         "Enqueue every configured provider's sync (a provider with nothing to plan is "
         "skipped), then work the queue.",
         "  --once                exit with a summary when the queue is drained (exit 1 if a\n"
         "                        job failed, a provider stopped or a signal interrupted it)\n"},
    Help{"worker", "worker",
         "Work the queue without enqueueing anything, until SIGINT/SIGTERM (more processes "
         "may share one database).",
         ""},
    Help{"serve", "serve",
         "Work the queue, repeat each sync at its schedule and serve the admin API and "
         "monitor page on admin.listen until SIGINT/SIGTERM.",
         ""},
    Help{"queue",
         "queue stats [--json]\nqueue failed [--csv] [--type T]\n"
         "queue retry <id> | --all-failed [--type T]",
         "Count the queue's jobs by type and state, list the failed ones with their last "
         "error, or requeue failed jobs.",
         "  --json                (stats) the JSON of GET /api/v1/queue/stats\n"
         "  --csv                 (failed) every column, RFC 4180\n"
         "  --type T              (failed, retry --all-failed) only jobs of type T\n"
         "  --all-failed          (retry) every failed job instead of one id\n"},
    Help{"enqueue", "enqueue <type> <key> [--payload JSON]",
         "Add one job; a duplicate of a queued or processing job is not added and its id is "
         "printed.",
         "  --payload JSON        the job's payload\n"},
    Help{"lookup",
         "lookup <provider> <key> [--kind K] [--json]\n<provider> lookup <key> [--kind K] [--json]",
         "One item by key (a graded cert, a card...): from the cache, fetched upstream when "
         "missing (exit 1 when only queued, 2 for a key the provider refuses).",
         "  --kind K              which lookup, when the provider offers several\n"
         "  --json                the answer as GET /api/v1/lookup/{provider}/{key} gives it\n"},
    Help{"manifest", "manifest check FILE...\nmanifest try FILE --job TYPE:KEY [--pages N]",
         "Validate manifests (every problem with file, line and JSON pointer), or run one "
         "job of the provider section reading FILE against its upstream, storing nothing.",
         "  --job TYPE:KEY        (try) the job to run\n"
         "  --pages N             (try) how many pages to fetch (default 1)\n"},
    Help{"token", "token create --role viewer|operator [--ttl 8h] [--subject NAME]",
         "Print a bearer token for the admin API and monitor page, signed with the "
         "configured admin.auth key; only the token goes to stdout.",
         "  --role R              viewer (read) or operator (also retry and enqueue); required\n"
         "  --ttl T               lifetime: a whole number of s, m, h or d, at most 366d\n"
         "                        (default 8h)\n"
         "  --subject NAME        the sub claim, shown as \"by\" in the audit log (default:\n"
         "                        $USER)\n"
         "  --private-key FILE    RS256 only: the PEM private key whose public key is\n"
         "                        admin.auth.rs256_public_key_file\n"},
};

const Help* find(std::string_view command) {
  for (const auto& h : kHelp) {
    if (h.command == command) return &h;
  }
  return nullptr;
}

// `text` as lines of at most `width` columns, broken at spaces (a terminal's 80, less margin).
std::string wrapped(std::string_view text, std::size_t width = 78) {
  std::string out;
  std::size_t column = 0;
  while (!text.empty()) {
    const auto space = text.find(' ');
    const std::string_view word = text.substr(0, space);
    if (column > 0 && column + 1 + word.size() > width) {
      out += '\n';
      column = 0;
    } else if (column > 0) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
    text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
  }
  return out;
}

}  // namespace

std::optional<std::string> command_help(std::string_view command,
                                        const std::vector<std::string>& args) {
  const Help* h = find(command);
  if (h == nullptr && !args.empty() && args.front() == "lookup") h = find("lookup");
  if (h == nullptr) return std::nullopt;
  std::ostringstream out;
  std::string_view usage = h->usage;
  std::string_view prefix = "Usage: ";
  while (!usage.empty()) {
    const auto eol = usage.find('\n');
    out << prefix << "cardsync [options] " << usage.substr(0, eol) << "\n";
    usage = eol == std::string_view::npos ? std::string_view() : usage.substr(eol + 1);
    prefix = "       ";
  }
  out << "\n" << wrapped(h->summary) << "\n";
  if (!h->options.empty()) out << "\nOptions:\n" << h->options;
  out << "\nGlobal options (before or after the command): --config FILE, --log-level LEVEL,\n"
         "--plugin-dir DIR; `cardsync --help` lists them and every command.\n"
         "Exit codes: 0 ok, 1 work failed, 2 usage, config or plugin error (nothing done),\n"
         "130/143 a second SIGINT/SIGTERM ended the orderly stop at once.\n";
  return out.str();
}

}  // namespace cardsync::cli
