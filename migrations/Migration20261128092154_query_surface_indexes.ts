import { Migration } from '@mikro-orm/migrations';

export class Migration20261128092154_query_surface_indexes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`drop index "household_county_code_index";`);

    this.addSql(`create index "household_county_ref_index" on "household" ("county_code", "ref");`);

    this.addSql(`create index "guarantee_contract_institution_starts_index" on "guarantee_contract" ("institution_id", "starts_on", "id");`);

    this.addSql(`create index "alert_raised_at_index" on "alert" ("raised_at" desc, "id" desc);`);

    this.addSql(`create index "insurance_policy_institution_starts_index" on "insurance_policy" ("institution_id", "starts_on", "id");`);

    this.addSql(`create index "loan_institution_disbursed_index" on "loan" ("institution_id", "disbursed_on", "id");`);
    this.addSql(`create index "loan_county_disbursed_index" on "loan" ("county_code", "disbursed_on", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "alert_raised_at_index";`);

    this.addSql(`drop index "guarantee_contract_institution_starts_index";`);

    this.addSql(`drop index "household_county_ref_index";`);

    this.addSql(`create index "household_county_code_index" on "household" ("county_code");`);

    this.addSql(`drop index "insurance_policy_institution_starts_index";`);

    this.addSql(`drop index "loan_institution_disbursed_index";`);
    this.addSql(`drop index "loan_county_disbursed_index";`);
  }

}
